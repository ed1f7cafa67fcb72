package dev.switchboard.inbox.integration;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.switchboard.support.secrets.SecretUnreadableException;

/**
 * Works the CRM delivery queue: claims due deliveries for a lease
 * ({@code FOR UPDATE SKIP LOCKED}, so replicas never post one twice at once), posts them
 * and records the outcome. A 2xx is {@code DELIVERED}; anything else is retried with
 * doubling waits until the last attempt, then {@code FAILED}. Counts
 * {@code switchboard.inbox.crm.deliveries} by outcome.
 * <p>
 * A tick does not block the scheduler's thread (which the WhatsApp send queue shares): it
 * starts a round and the next tick only starts another when that round is done.
 */
@Component
@EnableScheduling
@EnableConfigurationProperties(CrmWebhookProperties.class)
class CrmDeliveryWorker {

	private static final Logger logger = LoggerFactory.getLogger(CrmDeliveryWorker.class);

	private final DatabaseClient database;

	private final TransactionalOperator transactions;

	private final CrmWebhookClient client;

	private final CrmWebhookProperties properties;

	private final Clock clock;

	private final MeterRegistry meters;

	private final CrmSecrets secrets;

	private final AtomicBoolean working = new AtomicBoolean();

	CrmDeliveryWorker(DatabaseClient database, TransactionalOperator transactions, CrmWebhookClient client,
			CrmWebhookProperties properties, Clock clock, MeterRegistry meters, CrmSecrets secrets) {
		this.database = database;
		this.transactions = transactions;
		this.client = client;
		this.properties = properties;
		this.clock = clock;
		this.meters = meters;
		this.secrets = secrets;
	}

	@Scheduled(fixedDelayString = "${switchboard.crm-webhooks.interval:1s}")
	void tick() {
		if (!this.working.compareAndSet(false, true)) {
			return;
		}
		// A round never outlives its claims' lease: whatever it has not recorded by then
		// is
		// due again anyway.
		deliverDue().timeout(this.properties.lease())
			.doFinally((signal) -> this.working.set(false))
			.subscribe(null, (ex) -> logger.warn("CRM deliveries will be retried: {}", ex.getMessage()));
	}

	/**
	 * Attempts every delivery due now (one batch).
	 * @return how many were attempted
	 */
	Mono<Integer> deliverDue() {
		return claim().as(this.transactions::transactional)
			.flatMap(this::attempt, 8)
			.reduce(0, (count, done) -> count + done);
	}

	private Flux<Claimed> claim() {
		Instant now = this.clock.instant();
		return this.database
			.sql("""
					UPDATE crm_delivery d SET next_attempt_at = :leaseUntil, attempts = d.attempts + 1
					FROM crm_subscription s
					WHERE s.id = d.subscription_id AND d.id IN (
					    SELECT id FROM crm_delivery WHERE status = 'PENDING' AND next_attempt_at <= :now
					    ORDER BY next_attempt_at LIMIT :batch FOR UPDATE SKIP LOCKED)
					RETURNING d.id, d.event_id, d.event_type, d.body, d.attempts, s.url, s.tenant_id, s.id AS subscription_id,
					    s.secret_sealed""")
			.bind("leaseUntil", utc(now.plus(this.properties.lease())))
			.bind("now", utc(now))
			.bind("batch", this.properties.batch())
			.map((row) -> new Claimed(Objects.requireNonNull(row.get("id", UUID.class)),
					Objects.requireNonNull(row.get("event_id", String.class)),
					Objects.requireNonNull(row.get("event_type", String.class)),
					Objects.requireNonNull(row.get("body", String.class)),
					Objects.requireNonNull(row.get("attempts", Integer.class)),
					Objects.requireNonNull(row.get("url", String.class)),
					Objects.requireNonNull(row.get("tenant_id", String.class)),
					Objects.requireNonNull(row.get("subscription_id", UUID.class)),
					Objects.requireNonNull(row.get("secret_sealed", byte[].class))))
			.all();
	}

	private Mono<Integer> attempt(Claimed delivery) {
		return Mono
			.fromCallable(() -> this.secrets.open(delivery.tenantId(), delivery.subscriptionId(), delivery.secret()))
			.flatMap((secret) -> this.client.post(delivery.url(), secret, delivery.eventId(),
					this.clock.instant().getEpochSecond(), delivery.body()))
			// Retried like a failed post: the master key may be configured again
			// meanwhile. The tenant sees the generic error, the log the reason.
			.onErrorResume(SecretUnreadableException.class,
					(ex) -> Mono.just(new CrmWebhookClient.Answer(null, CrmWebhookClient.FAILED,
							"the subscription's secret cannot be decrypted")))
			.flatMap((answer) -> record(delivery, answer))
			.thenReturn(1);
	}

	private Mono<Void> record(Claimed delivery, CrmWebhookClient.Answer answer) {
		Instant now = this.clock.instant();
		Parameter status = Parameter.fromOrEmpty(answer.status(), Integer.class);
		if (answer.delivered()) {
			count("delivered");
			return this.database.sql("""
					UPDATE crm_delivery SET status = 'DELIVERED', delivered_at = :now, last_status_code = :code,
					    last_error = NULL, next_attempt_at = NULL
					WHERE id = :id AND status = 'PENDING'""")
				.bind("now", utc(now))
				.bind("code", status)
				.bind("id", delivery.id())
				.then();
		}
		String error = Objects.requireNonNull(answer.error());
		if (delivery.attempts() < this.properties.maxAttempts()) {
			Duration wait = this.properties.retryAfter(delivery.attempts());
			count("retried");
			logger.info("CRM delivery {} attempt {} failed, retrying in {}: {}", delivery.id(), delivery.attempts(),
					wait, answer.detail());
			return this.database.sql("""
					UPDATE crm_delivery SET next_attempt_at = :at, last_status_code = :code, last_error = :error
					WHERE id = :id AND status = 'PENDING'""")
				.bind("at", utc(now.plus(wait)))
				.bind("code", status)
				.bind("error", error)
				.bind("id", delivery.id())
				.then();
		}
		count("failed");
		logger.warn("CRM delivery {} failed after {} attempts: {}", delivery.id(), delivery.attempts(),
				answer.detail());
		return this.database.sql("""
				UPDATE crm_delivery SET status = 'FAILED', last_status_code = :code, last_error = :error,
				    next_attempt_at = NULL
				WHERE id = :id AND status = 'PENDING'""")
			.bind("code", status)
			.bind("error", "Gave up after " + delivery.attempts() + " attempts: " + error)
			.bind("id", delivery.id())
			.then();
	}

	private void count(String outcome) {
		this.meters.counter("switchboard.inbox.crm.deliveries", "outcome", outcome).increment();
	}

	private static OffsetDateTime utc(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

	private record Claimed(UUID id, String eventId, String eventType, String body, int attempts, String url,
			String tenantId, UUID subscriptionId, byte[] secret) {

	}

}

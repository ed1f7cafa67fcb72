package dev.switchboard.inbox.outbound;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.switchboard.events.MessageSent;
import dev.switchboard.events.MessageStatusChanged;
import dev.switchboard.support.outbox.OutboxRelay;
import dev.switchboard.support.outbox.OutboxWriter;
import dev.switchboard.support.ratelimit.Rate;
import dev.switchboard.support.ratelimit.SharedBuckets;

/**
 * Works the send queue: claims due messages for a lease ({@code FOR UPDATE SKIP LOCKED},
 * so replicas never send one twice at once), keeps each business number within Meta's
 * throughput (a token bucket per number shared by every replica, {@link SharedBuckets}),
 * sends them through the Graph API and records the outcome with its event in one
 * transaction. A send the cap holds back is not an attempt: it goes back to the queue and
 * waits for a token (counted in {@code switchboard_inbox_sends_throttled_total}). 5xx
 * answers, rate limits and silence are retried with doubling waits (or Meta's
 * {@code Retry-After}); after the last attempt, or on a definitive refusal, the message
 * is {@code FAILED} with the reason.
 */
@Component
@EnableScheduling
@EnableConfigurationProperties(WhatsAppProperties.class)
public class Sender {

	private static final Logger logger = LoggerFactory.getLogger(Sender.class);

	private final DatabaseClient database;

	private final TransactionalOperator transactions;

	private final GraphApiClient graph;

	private final OutboxWriter outbox;

	private final OutboxRelay relay;

	private final Statuses statuses;

	private final WhatsAppProperties properties;

	private final Clock clock;

	private final MeterRegistry meters;

	private final SharedBuckets buckets;

	private final Rate sendCap;

	private final AtomicBoolean signalled = new AtomicBoolean();

	Sender(DatabaseClient database, TransactionalOperator transactions, GraphApiClient graph, OutboxWriter outbox,
			OutboxRelay relay, Statuses statuses, WhatsAppProperties properties, Clock clock, MeterRegistry meters,
			SharedBuckets buckets) {
		this.database = database;
		this.transactions = transactions;
		this.graph = graph;
		this.outbox = outbox;
		this.relay = relay;
		this.statuses = statuses;
		this.properties = properties;
		this.clock = clock;
		this.meters = meters;
		this.buckets = buckets;
		this.sendCap = new Rate(properties.messagesPerSecond(), properties.messagesPerSecond());
	}

	/** A message was queued: look at the queue on the next tick. */
	void signal() {
		this.signalled.set(true);
	}

	@Scheduled(fixedDelayString = "${switchboard.whatsapp.send-interval:200ms}")
	void tick() {
		try {
			sendDue();
		}
		catch (RuntimeException ex) {
			logger.warn("Send queue will be retried: {}", ex.getMessage());
		}
	}

	/**
	 * Sends every message due now (one batch).
	 * @return how many were attempted
	 */
	public int sendDue() {
		this.signalled.set(false);
		List<Claimed> claimed = claim().as(this.transactions::transactional)
			.collectList()
			.block(Duration.ofSeconds(30));
		if (claimed == null || claimed.isEmpty()) {
			return 0;
		}
		Map<String, List<Claimed>> byNumber = new LinkedHashMap<>();
		claimed.forEach(
				(message) -> byNumber.computeIfAbsent(message.phoneNumberId(), (id) -> new ArrayList<>()).add(message));
		Integer attempted = Flux.fromIterable(byNumber.entrySet())
			.concatMap((number) -> withinCap(number.getKey(), number.getValue()))
			.flatMap(this::attempt, 8)
			.reduce(0, (count, done) -> count + done)
			.block(Duration.ofMinutes(2));
		this.relay.signal();
		return Objects.requireNonNullElse(attempted, 0);
	}

	private Flux<Claimed> claim() {
		Instant now = this.clock.instant();
		return this.database.sql("""
				UPDATE message m SET next_attempt_at = :leaseUntil, attempts = m.attempts + 1
				FROM conversation c, (
				    SELECT id, next_attempt_at AS due FROM message WHERE status = 'QUEUED' AND next_attempt_at <= :now
				    ORDER BY next_attempt_at LIMIT :batch FOR UPDATE SKIP LOCKED) d
				WHERE m.id = d.id AND c.id = m.conversation_id
				RETURNING m.id, m.tenant_id, m.conversation_id, m.graph_request::text AS request, m.attempts,
				          c.phone_number_id, d.due""")
			.bind("leaseUntil", Times.utc(now.plus(this.properties.lease())))
			.bind("now", Times.utc(now))
			.bind("batch", this.properties.sendBatch())
			.map((row) -> new Claimed(Objects.requireNonNull(row.get("id", UUID.class)),
					Objects.requireNonNull(row.get("tenant_id", String.class)),
					Objects.requireNonNull(row.get("conversation_id", UUID.class)),
					Objects.requireNonNull(row.get("request", String.class)),
					Objects.requireNonNull(row.get("attempts", Integer.class)),
					Objects.requireNonNull(row.get("phone_number_id", String.class)), Times.instant(row, "due")))
			.all()
			.sort(Comparator.comparing(Claimed::due));
	}

	/**
	 * Takes a token of the number's send cap for as many of its claimed messages as it
	 * has, in queue order; the rest go back to the queue in their place (their due time)
	 * for the next look, their attempt not counted. When the buckets cannot be reached
	 * nothing is sent (Meta would refuse what exceeds its throughput; a message that
	 * waits is not lost).
	 */
	private Flux<Claimed> withinCap(String phoneNumberId, List<Claimed> messages) {
		return this.buckets.takeUpTo("send:" + phoneNumberId, this.sendCap, messages.size()).onErrorResume((ex) -> {
			logger.warn("Send cap of {} unavailable, sends wait: {}", phoneNumberId, ex.getMessage());
			return Mono.just(0L);
		}).flatMapMany((taken) -> {
			int now = (int) Math.min(taken, messages.size());
			return requeue(messages.subList(now, messages.size()))
				.thenMany(Flux.fromIterable(messages.subList(0, now)));
		});
	}

	private Mono<Void> requeue(List<Claimed> held) {
		if (held.isEmpty()) {
			return Mono.empty();
		}
		this.meters.counter("switchboard.inbox.sends.throttled").increment(held.size());
		return this.database.sql("""
				UPDATE message m SET next_attempt_at = h.due, attempts = m.attempts - 1
				FROM unnest(CAST(:ids AS uuid[]), CAST(:dues AS timestamptz[])) AS h(id, due)
				WHERE m.id = h.id AND m.status = 'QUEUED'""")
			.bind("ids", held.stream().map((message) -> message.id().toString()).toArray(String[]::new))
			.bind("dues", held.stream().map((message) -> message.due().toString()).toArray(String[]::new))
			.then();
	}

	private Mono<Integer> attempt(Claimed message) {
		return this.graph.send(message.phoneNumberId(), message.request())
			.flatMap((result) -> record(message, result).as(this.transactions::transactional))
			.thenReturn(1);
	}

	private Mono<Void> record(Claimed message, GraphResult result) {
		Instant now = this.clock.instant();
		return switch (result) {
			case GraphResult.Accepted accepted -> accepted(message, accepted.wamid(), now);
			case GraphResult.Retryable retryable when message.attempts() < this.properties.maxAttempts() -> {
				Duration wait = this.properties.retryAfter(message.attempts());
				if (retryable.retryAfter() != null && retryable.retryAfter().compareTo(wait) > 0) {
					wait = retryable.retryAfter();
				}
				this.meters.counter("switchboard.inbox.sends.retried").increment();
				logger.info("Send {} attempt {} failed, retrying in {}: {}", message.id(), message.attempts(), wait,
						retryable.reason());
				yield this.database
					.sql("""
							UPDATE message SET next_attempt_at = :at, error = :error WHERE id = :id AND status = 'QUEUED'""")
					.bind("at", Times.utc(now.plus(wait)))
					.bind("error", retryable.reason())
					.bind("id", message.id())
					.then();
			}
			case GraphResult.Retryable retryable ->
				failed(message, "Gave up after " + message.attempts() + " attempts: " + retryable.reason(), now);
			case GraphResult.Rejected rejected -> failed(message, rejected.reason(), now);
		};
	}

	private Mono<Void> accepted(Claimed message, String wamid, Instant now) {
		return this.database.sql("""
				UPDATE message m SET wamid = :wamid, status = 'ACCEPTED', next_attempt_at = NULL, error = NULL
				FROM conversation c JOIN contact k ON k.id = c.contact_id
				WHERE m.id = :id AND m.status = 'QUEUED' AND c.id = m.conversation_id
				RETURNING k.id AS contact_id, k.wa_id, m.agent_id, m.device_id, m.kind, m.template_name,
				          m.template_category""")
			.bind("wamid", wamid)
			.bind("id", message.id())
			.map((row) -> new MessageSent(message.tenantId(), message.conversationId().toString(),
					message.id().toString(), Objects.requireNonNull(row.get("contact_id", UUID.class)).toString(),
					Objects.requireNonNull(row.get("wa_id", String.class)), wamid,
					Objects.requireNonNull(row.get("agent_id", String.class)),
					Objects.requireNonNull(row.get("device_id", String.class)),
					Objects.requireNonNull(row.get("kind", String.class)), row.get("template_name", String.class),
					row.get("template_category", String.class), now))
			.one()
			.flatMap((sent) -> {
				this.meters.counter("switchboard.inbox.messages.out", "kind", sent.kind(), "status", "accepted")
					.increment();
				return this.outbox.append(sent).then(this.statuses.apply(message.tenantId(), wamid));
			});
	}

	private Mono<Void> failed(Claimed message, String reason, Instant now) {
		this.meters.counter("switchboard.inbox.messages.out", "kind", "any", "status", "failed").increment();
		logger.warn("Send {} failed: {}", message.id(), reason);
		return this.database.sql("""
				UPDATE message SET status = 'FAILED', failed_at = :now, error = :error, next_attempt_at = NULL
				WHERE id = :id AND status = 'QUEUED'""")
			.bind("now", Times.utc(now))
			.bind("error", reason)
			.bind("id", message.id())
			.fetch()
			.rowsUpdated()
			.filter((updated) -> updated > 0)
			.flatMap((updated) -> this.outbox.append(new MessageStatusChanged(message.tenantId(),
					message.conversationId().toString(), message.id().toString(), "", "FAILED", now, reason)));
	}

	/**
	 * A claimed send.
	 *
	 * @param due when it was due before the claim: its place in the queue, which a send
	 * the cap holds back keeps
	 */
	private record Claimed(UUID id, String tenantId, UUID conversationId, String request, int attempts,
			String phoneNumberId, Instant due) {

	}

}

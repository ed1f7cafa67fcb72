package dev.switchboard.gateway.webhook;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Keeps the signed webhooks of fields the platform does not act on in
 * {@code webhook_notice}. Best effort: they are acknowledged whether or not the row is
 * written, since a retry from Meta would change nothing the platform does.
 */
class WebhookNotices {

	private static final Logger logger = LoggerFactory.getLogger(WebhookNotices.class);

	private final DatabaseClient database;

	private final Clock clock;

	private final MeterRegistry meters;

	WebhookNotices(DatabaseClient database, Clock clock, MeterRegistry meters) {
		this.database = database;
		this.clock = clock;
		this.meters = meters;
	}

	/**
	 * Records the notices.
	 * @param notices the notices with their tenant
	 * @return completion, never an error
	 */
	Mono<Void> record(List<Owned> notices) {
		if (notices.isEmpty()) {
			return Mono.empty();
		}
		OffsetDateTime now = OffsetDateTime.ofInstant(this.clock.instant(), ZoneOffset.UTC);
		return Flux.fromIterable(notices)
			.concatMap((owned) -> this.database.sql("""
					INSERT INTO webhook_notice (tenant_id, waba_id, field, value, occurred_at, received_at)
					VALUES (:tenant, :waba, :field, CAST(:value AS jsonb), :occurred, :now)""")
				.bind("tenant", Parameter.fromOrEmpty(owned.tenantId(), String.class))
				.bind("waba", owned.notice().wabaId())
				.bind("field", owned.notice().field())
				.bind("value", owned.notice().json())
				.bind("occurred", OffsetDateTime.ofInstant(owned.notice().timestamp(), ZoneOffset.UTC))
				.bind("now", now)
				.then())
			.then()
			.onErrorResume((ex) -> {
				logger.warn("Webhook notices not recorded", ex);
				this.meters.counter("switchboard.webhooks.notices.unrecorded").increment(notices.size());
				return Mono.empty();
			});
	}

	/**
	 * A notice and the tenant whose account it names.
	 *
	 * @param tenantId the tenant, null when none names the account
	 * @param notice the notice
	 */
	record Owned(@Nullable String tenantId, WebhookItem.Notice notice) {

	}

}

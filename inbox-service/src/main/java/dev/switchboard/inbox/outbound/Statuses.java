package dev.switchboard.inbox.outbound;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Service;

import dev.switchboard.events.MessageStatusChanged;
import dev.switchboard.events.WhatsAppError;
import dev.switchboard.events.WhatsAppPricing;
import dev.switchboard.events.WhatsAppStatusReceived;
import dev.switchboard.support.outbox.OutboxWriter;

/**
 * The ticks of outbound messages. Meta reports them out of order and more than once: each
 * status is recorded once per {@code wamid} with its own timestamp, the message's status
 * only moves forward ({@code READ} never falls back to {@code DELIVERED}; {@code FAILED}
 * only follows a message that was not delivered), and each first arrival publishes one
 * {@link MessageStatusChanged}. A status that arrives before the send recorded its
 * {@code wamid} waits in {@code message_status} and is applied then.
 */
@Service
public class Statuses {

	static final Set<String> KNOWN = Set.of("SENT", "DELIVERED", "READ", "FAILED");

	private static final String RANK = "CASE %s WHEN 'QUEUED' THEN 0 WHEN 'ACCEPTED' THEN 1 WHEN 'SENT' THEN 2 "
			+ "WHEN 'DELIVERED' THEN 3 WHEN 'READ' THEN 4 ELSE 5 END";

	private final DatabaseClient database;

	private final OutboxWriter outbox;

	private final JsonMapper json;

	private final Clock clock;

	private final MeterRegistry meters;

	Statuses(DatabaseClient database, OutboxWriter outbox, JsonMapper json, Clock clock, MeterRegistry meters) {
		this.database = database;
		this.outbox = outbox;
		this.json = json;
		this.clock = clock;
		this.meters = meters;
	}

	/**
	 * Records a status webhook and applies it to its message if the message is known.
	 * @param received the status, as the gateway verified it
	 * @return completion
	 */
	public Mono<Void> record(WhatsAppStatusReceived received) {
		String status = received.status().toUpperCase(Locale.ROOT);
		if (!KNOWN.contains(status)) {
			this.meters.counter("switchboard.inbox.statuses", "status", "unknown").increment();
			return Mono.empty();
		}
		this.meters.counter("switchboard.inbox.statuses", "status", status.toLowerCase(Locale.ROOT)).increment();
		List<WhatsAppError> errors = errors(received);
		return this.database.sql("""
				INSERT INTO message_status (tenant_id, wamid, status, at, error, errors, pricing, received_at)
				VALUES (:tenant, :wamid, :status, :at, :error, CAST(:errors AS jsonb), CAST(:pricing AS jsonb), :now)
				ON CONFLICT DO NOTHING""")
			.bind("tenant", received.tenantId())
			.bind("wamid", received.wamid())
			.bind("status", status)
			.bind("at", Times.utc(received.timestamp()))
			.bind("error", Parameter.fromOrEmpty((errors != null) ? errors.getFirst().summary() : null, String.class))
			.bind("errors",
					Parameter.fromOrEmpty((errors != null) ? this.json.writeValueAsString(errors) : null, String.class))
			.bind("pricing",
					Parameter.fromOrEmpty(
							(received.pricing() != null) ? this.json.writeValueAsString(received.pricing()) : null,
							String.class))
			.bind("now", Times.utc(this.clock.instant()))
			.then()
			.then(apply(received.tenantId(), received.wamid()));
	}

	/**
	 * Applies every recorded status of a {@code wamid} to its message, in tick order.
	 * @param tenantId the tenant
	 * @param wamid the message's Meta id
	 * @return completion
	 */
	public Mono<Void> apply(String tenantId, String wamid) {
		return this.database.sql("""
				SELECT status, at, error, CAST(errors AS text) AS errors, CAST(pricing AS text) AS pricing
				FROM message_status WHERE tenant_id = :tenant AND wamid = :wamid
				ORDER BY %s""".formatted(RANK.formatted("status")))
			.bind("tenant", tenantId)
			.bind("wamid", wamid)
			.map((row) -> new Recorded(Objects.requireNonNull(row.get("status", String.class)),
					Times.instant(row, "at"), row.get("error", String.class), row.get("errors", String.class),
					row.get("pricing", String.class)))
			.all()
			.concatMap((recorded) -> applyOne(tenantId, wamid, recorded))
			.then();
	}

	private Mono<Void> applyOne(String tenantId, String wamid, Recorded recorded) {
		String column = switch (recorded.status()) {
			case "SENT" -> "sent_at";
			case "DELIVERED" -> "delivered_at";
			case "READ" -> "read_at";
			default -> "failed_at";
		};
		String next = """
				CASE WHEN :status = 'FAILED' THEN
				          (CASE WHEN status IN ('QUEUED', 'ACCEPTED', 'SENT') THEN 'FAILED' ELSE status END)
				     WHEN status = 'FAILED' THEN status
				     WHEN %s > %s THEN :status ELSE status END""".formatted(RANK.formatted(":status"),
				RANK.formatted("status"));
		return this.database.sql("""
				UPDATE message SET %1$s = :at, status = %2$s,
				    error = CASE WHEN :status = 'FAILED' THEN COALESCE(error, :error) ELSE error END,
				    errors = CASE WHEN :status = 'FAILED' THEN COALESCE(errors, CAST(:errors AS jsonb)) ELSE errors END
				WHERE tenant_id = :tenant AND wamid = :wamid AND direction = 'OUTBOUND' AND %1$s IS NULL
				RETURNING id, conversation_id, created_at""".formatted(column, next))
			.bind("at", Times.utc(recorded.at()))
			.bind("status", recorded.status())
			.bind("error", Parameter.fromOrEmpty(recorded.error(), String.class))
			.bind("errors", Parameter.fromOrEmpty(recorded.errors(), String.class))
			.bind("tenant", tenantId)
			.bind("wamid", wamid)
			.map((row) -> {
				observeLatency(recorded, Times.instant(row, "created_at"));
				return new MessageStatusChanged(tenantId,
						Objects.requireNonNull(row.get("conversation_id", UUID.class)).toString(),
						Objects.requireNonNull(row.get("id", UUID.class)).toString(), wamid, recorded.status(),
						recorded.at(), recorded.error(),
						(recorded.errors() != null)
								? List.of(this.json.readValue(recorded.errors(), WhatsAppError[].class)) : null,
						(recorded.pricing() != null) ? this.json.readValue(recorded.pricing(), WhatsAppPricing.class)
								: null);
			})
			.one()
			.flatMap(this.outbox::append);
	}

	/**
	 * Delivery and read latency: from the agent's send request to the tick's WhatsApp
	 * timestamp, recorded once per message (the first arrival of the tick). Meta's
	 * timestamps have whole seconds, and a clock behind ours never gives a negative time.
	 */
	private void observeLatency(Recorded recorded, Instant requestedAt) {
		String name = switch (recorded.status()) {
			case "DELIVERED" -> "switchboard.inbox.message.delivery.latency";
			case "READ" -> "switchboard.inbox.message.read.latency";
			default -> null;
		};
		if (name != null) {
			Duration latency = Duration.between(requestedAt, recorded.at());
			Timer.builder(name)
				.description("From the send request to the message's " + recorded.status().toLowerCase(Locale.ROOT)
						+ " tick")
				.publishPercentileHistogram()
				.register(this.meters)
				.record(latency.isNegative() ? Duration.ZERO : latency);
		}
	}

	/**
	 * Meta's errors: as the gateway read them, or from the status object of an event
	 * published before the gateway did.
	 */
	private @Nullable List<WhatsAppError> errors(WhatsAppStatusReceived received) {
		if (received.errors() != null && !received.errors().isEmpty()) {
			return received.errors();
		}
		JsonNode errors = this.json.readTree(received.statusObject()).path("errors");
		if (!errors.isArray() || errors.isEmpty()) {
			return null;
		}
		List<WhatsAppError> read = new ArrayList<>();
		for (JsonNode error : errors) {
			read.add(new WhatsAppError(error.path("code").asInt(0), error.path("title").asString(null),
					error.path("message").asString(null), error.path("error_data").path("details").asString(null)));
		}
		return read;
	}

	private record Recorded(String status, Instant at, @Nullable String error, @Nullable String errors,
			@Nullable String pricing) {

	}

}

package dev.switchboard.billing.usage;

import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import dev.switchboard.events.MessageReceived;
import dev.switchboard.support.consumer.BatchWrites;

import static dev.switchboard.billing.web.Rows.value;

/** Records every conversation a tenant has, the basis of its usage. */
@Component
public class ConversationUsage {

	private final DatabaseClient database;

	private final Clock clock;

	private final Function<List<Row>, Mono<Void>> writer = this::write;

	ConversationUsage(DatabaseClient database, Clock clock) {
		this.database = database;
		this.clock = clock;
	}

	/**
	 * Records the conversation of a customer's message, from its first message.
	 * @param received the message
	 * @return completion
	 */
	public Mono<Void> record(MessageReceived received) {
		return BatchWrites.add(this.writer, new Row(UUID.fromString(received.conversationId()), received.tenantId(),
				received.sentAt(), this.clock.instant()));
	}

	/**
	 * Records a batch's conversations with one statement, each once with its earliest
	 * message (a statement may change a row only once).
	 */
	private Mono<Void> write(List<Row> rows) {
		Map<UUID, Row> earliest = new TreeMap<>();
		rows.forEach((row) -> earliest.merge(row.conversationId(), row,
				(before, after) -> after.sentAt().isBefore(before.sentAt()) ? after : before));
		List<Row> merged = List.copyOf(earliest.values());
		return this.database
			.sql("""
					INSERT INTO tenant_conversation (conversation_id, tenant_id, first_message_at, recorded_at)
					SELECT CAST(c AS uuid), t, CAST(s AS timestamptz), CAST(n AS timestamptz)
					FROM unnest(CAST(:conversations AS text[]), CAST(:tenants AS text[]), CAST(:sentAt AS text[]),
					            CAST(:now AS text[])) AS r(c, t, s, n)
					ON CONFLICT (conversation_id)
					DO UPDATE SET first_message_at = LEAST(tenant_conversation.first_message_at, EXCLUDED.first_message_at)""")
			.bind("conversations", BatchWrites.column(merged, (row) -> row.conversationId().toString()))
			.bind("tenants", BatchWrites.column(merged, Row::tenantId))
			.bind("sentAt", BatchWrites.column(merged, (row) -> row.sentAt().toString()))
			.bind("now", BatchWrites.column(merged, (row) -> row.recordedAt().toString()))
			.then();
	}

	/**
	 * How many conversations a tenant had that started in a month.
	 * @param tenantId the tenant
	 * @param month the month (UTC)
	 * @return the count
	 */
	public Mono<Long> conversationsStartedIn(String tenantId, YearMonth month) {
		return this.database.sql("""
				SELECT count(*) AS n FROM tenant_conversation
				WHERE tenant_id = :tenant AND first_message_at >= :from AND first_message_at < :to""")
			.bind("tenant", tenantId)
			.bind("from", month.atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC))
			.bind("to", month.plusMonths(1).atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC))
			.map((row) -> value(row, "n", Long.class))
			.one();
	}

	private record Row(UUID conversationId, String tenantId, Instant sentAt, Instant recordedAt) {

	}

}

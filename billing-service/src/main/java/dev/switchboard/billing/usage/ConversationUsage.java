package dev.switchboard.billing.usage;

import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.UUID;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import dev.switchboard.events.MessageReceived;

import static dev.switchboard.billing.web.Rows.utc;
import static dev.switchboard.billing.web.Rows.value;

/** Records every conversation a tenant has, the basis of its usage. */
@Component
public class ConversationUsage {

	private final DatabaseClient database;

	private final Clock clock;

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
		return this.database
			.sql("""
					INSERT INTO tenant_conversation (conversation_id, tenant_id, first_message_at, recorded_at)
					VALUES (:conversation, :tenant, :sentAt, :now)
					ON CONFLICT (conversation_id)
					DO UPDATE SET first_message_at = LEAST(tenant_conversation.first_message_at, EXCLUDED.first_message_at)""")
			.bind("conversation", UUID.fromString(received.conversationId()))
			.bind("tenant", received.tenantId())
			.bind("sentAt", utc(received.sentAt()))
			.bind("now", utc(this.clock.instant()))
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

}

package dev.switchboard.audit.message;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import dev.switchboard.audit.log.EventProjection;
import dev.switchboard.events.MessageSent;
import dev.switchboard.events.MessageStatusChanged;
import dev.switchboard.events.SwitchboardEvent;

/**
 * Attribution of every outbound message (agent, device, the device's name and state at
 * send time) and its status times. A status only fills a time that is still empty, so
 * repeated or late statuses change nothing; a status that arrives before its
 * {@code MessageSent} is kept and completed by it.
 */
@Component
class MessageInfoProjection implements EventProjection {

	private final DatabaseClient database;

	MessageInfoProjection(DatabaseClient database) {
		this.database = database;
	}

	@Override
	public Mono<Void> project(SwitchboardEvent event) {
		return switch (event) {
			case MessageSent sent -> sent(sent);
			case MessageStatusChanged status -> status(status);
			default -> Mono.empty();
		};
	}

	private Mono<Void> sent(MessageSent sent) {
		// The device's name and state as they are when the send is recorded: a later
		// rename or revocation does not rewrite history.
		return this.database
			.sql("""
					INSERT INTO message_info (tenant_id, message_id, conversation_id, contact_id, wamid, agent_id, device_id,
					                          device_name, device_state, kind, accepted_at)
					SELECT :tenant, :message, :conversation, :contact, :wamid, :agent, :device,
					       d.name, COALESCE(d.state, 'UNKNOWN'), :kind, :acceptedAt
					FROM (SELECT 1) AS one LEFT JOIN device d ON d.tenant_id = :tenant AND d.id::text = :device
					ON CONFLICT (tenant_id, message_id) DO UPDATE SET contact_id = EXCLUDED.contact_id,
					    wamid = EXCLUDED.wamid, agent_id = EXCLUDED.agent_id, device_id = EXCLUDED.device_id,
					    device_name = EXCLUDED.device_name, device_state = EXCLUDED.device_state, kind = EXCLUDED.kind,
					    accepted_at = EXCLUDED.accepted_at
					WHERE message_info.agent_id IS NULL""")
			.bind("tenant", sent.tenantId())
			.bind("message", sent.messageId())
			.bind("conversation", UUID.fromString(sent.conversationId()))
			.bind("contact", sent.contactId())
			.bind("wamid", sent.wamid())
			.bind("agent", sent.agentId())
			.bind("device", sent.deviceId())
			.bind("kind", sent.kind())
			.bind("acceptedAt", utc(sent.sentAt()))
			.then();
	}

	private Mono<Void> status(MessageStatusChanged status) {
		String column = switch (status.status().toUpperCase(Locale.ROOT)) {
			case "SENT" -> "sent_at";
			case "DELIVERED" -> "delivered_at";
			case "READ" -> "read_at";
			case "FAILED" -> "failed_at";
			default -> null;
		};
		if (column == null) {
			return Mono.empty();
		}
		return this.database
			.sql("INSERT INTO message_info (tenant_id, message_id, conversation_id, wamid, " + column
					+ ", error) VALUES (:tenant, :message, :conversation, :wamid, :at, :error)"
					+ " ON CONFLICT (tenant_id, message_id) DO UPDATE SET " + column + " = COALESCE(message_info."
					+ column + ", EXCLUDED." + column + "), error = COALESCE(message_info.error, EXCLUDED.error)")
			.bind("tenant", status.tenantId())
			.bind("message", status.messageId())
			.bind("conversation", UUID.fromString(status.conversationId()))
			.bind("wamid", status.wamid())
			.bind("at", utc(status.at()))
			.bind("error", Parameter.fromOrEmpty(error(status), String.class))
			.then();
	}

	private static @Nullable String error(MessageStatusChanged status) {
		return "FAILED".equalsIgnoreCase(status.status()) ? status.error() : null;
	}

	private static OffsetDateTime utc(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

}

package dev.switchboard.audit.message;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

import io.r2dbc.spi.Readable;
import io.swagger.v3.oas.annotations.Operation;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import dev.switchboard.audit.web.Refusals;
import dev.switchboard.events.Role;
import dev.switchboard.support.web.Caller;

/**
 * Who sent an outbound message, from which device, and when it was sent, delivered and
 * read. For owners and admins only: agents get 403. Nothing of it is ever sent to the
 * customer.
 */
@RestController
class MessageInfoController {

	private final DatabaseClient database;

	private final Refusals refusals;

	MessageInfoController(DatabaseClient database, Refusals refusals) {
		this.database = database;
		this.refusals = refusals;
	}

	@Operation(operationId = "getMessageInfo",
			summary = "Get who sent an outbound message, from which device, and its delivery ticks")
	@GetMapping("/api/v1/messages/{id}/info")
	Mono<MessageInfo> info(Caller caller, @PathVariable String id) {
		caller.requireAny(Role.OWNER, Role.ADMIN);
		return this.database.sql("""
				SELECT message_id, conversation_id, contact_id, wamid, agent_id, device_id, device_name, device_state,
				       kind, accepted_at, sent_at, delivered_at, read_at, failed_at, error
				FROM message_info WHERE tenant_id = :tenant AND message_id = :message AND agent_id IS NOT NULL""")
			.bind("tenant", caller.tenantId())
			.bind("message", id)
			.map(MessageInfoController::info)
			.one()
			.switchIfEmpty(Mono.error(() -> this.refusals.refuse(HttpStatus.NOT_FOUND, "unknown-message",
					"No such outbound message", "No outbound message " + id + " in this tenant")));
	}

	private static MessageInfo info(Readable row) {
		return new MessageInfo(row.get("message_id", String.class),
				String.valueOf(row.get("conversation_id", UUID.class)), row.get("contact_id", String.class),
				row.get("wamid", String.class), row.get("agent_id", String.class), row.get("device_id", String.class),
				row.get("device_name", String.class), row.get("device_state", String.class),
				row.get("kind", String.class), instant(row, "accepted_at"), instant(row, "sent_at"),
				instant(row, "delivered_at"), instant(row, "read_at"), instant(row, "failed_at"),
				row.get("error", String.class));
	}

	private static @Nullable Instant instant(Readable row, String column) {
		OffsetDateTime value = row.get(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	/**
	 * The facts of one outbound message.
	 *
	 * @param messageId the inbox's message id
	 * @param conversationId the conversation
	 * @param contactId the customer
	 * @param wamid Meta's message id
	 * @param agentId the agent who sent it
	 * @param deviceId the device it was sent from
	 * @param deviceName the device's name when it was sent (null for an unregistered
	 * device)
	 * @param deviceState the device's state when it was sent ({@code UNKNOWN} for an
	 * unregistered device)
	 * @param kind {@code text}, {@code media} or {@code template}
	 * @param acceptedAt when the Cloud API accepted it
	 * @param sentAt when WhatsApp reported it sent
	 * @param deliveredAt when it was delivered to the customer's phone
	 * @param readAt when the customer read it
	 * @param failedAt when it failed
	 * @param error why it failed
	 */
	record MessageInfo(String messageId, String conversationId, @Nullable String contactId, @Nullable String wamid,
			@Nullable String agentId, @Nullable String deviceId, @Nullable String deviceName,
			@Nullable String deviceState, @Nullable String kind, @Nullable Instant acceptedAt, @Nullable Instant sentAt,
			@Nullable Instant deliveredAt, @Nullable Instant readAt, @Nullable Instant failedAt,
			@Nullable String error) {

	}

}

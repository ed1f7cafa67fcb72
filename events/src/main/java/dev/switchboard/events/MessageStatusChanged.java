package dev.switchboard.events;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * An outbound message reached a status for the first time. Statuses only move forward
 * ({@code SENT} &lt; {@code DELIVERED} &lt; {@code READ}; {@code FAILED} is final); each
 * is published once however often Meta reports it.
 *
 * @param tenantId the tenant
 * @param conversationId the conversation
 * @param messageId the inbox's id of the message
 * @param wamid Meta's id of the message
 * @param status {@code SENT}, {@code DELIVERED}, {@code READ} or {@code FAILED}
 * @param at when it happened, by WhatsApp's clock
 * @param error Meta's error title and code for {@code FAILED}
 * @param errors Meta's {@code errors[]} for {@code FAILED}, in full; null when none
 * @param pricing how Meta says it bills the message, when the status carried it
 */
public record MessageStatusChanged(String tenantId, String conversationId, String messageId, String wamid,
		String status, Instant at, @Nullable String error, @Nullable List<WhatsAppError> errors,
		@Nullable WhatsAppPricing pricing) implements InboxEvent {

	/** A status without Meta's errors in full or pricing. */
	public MessageStatusChanged(String tenantId, String conversationId, String messageId, String wamid, String status,
			Instant at, @Nullable String error) {
		this(tenantId, conversationId, messageId, wamid, status, at, error, null, null);
	}

}

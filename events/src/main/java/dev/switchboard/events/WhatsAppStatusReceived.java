package dev.switchboard.events;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One status update (sent, delivered, read, failed) of an outbound message from a
 * verified webhook, as Meta sent it.
 *
 * @param tenantId the tenant owning the business phone number
 * @param conversationId the conversation with the recipient
 * @param phoneNumberId Meta's id of the business phone number
 * @param recipientId the customer's WhatsApp id
 * @param wamid the id of the message the status is about
 * @param status Meta's status value
 * @param timestamp when the status happened, by WhatsApp's clock
 * @param statusObject the status object exactly as Meta sent it (JSON)
 * @param errors Meta's {@code errors[]} of a {@code failed} status; null when none
 * @param pricing Meta's {@code pricing}, when the status carried it
 */
public record WhatsAppStatusReceived(String tenantId, String conversationId, String phoneNumberId, String recipientId,
		String wamid, String status, Instant timestamp, String statusObject, @Nullable List<WhatsAppError> errors,
		@Nullable WhatsAppPricing pricing) implements GatewayEvent {

	/** A status without errors or pricing. */
	public WhatsAppStatusReceived(String tenantId, String conversationId, String phoneNumberId, String recipientId,
			String wamid, String status, Instant timestamp, String statusObject) {
		this(tenantId, conversationId, phoneNumberId, recipientId, wamid, status, timestamp, statusObject, null, null);
	}

}

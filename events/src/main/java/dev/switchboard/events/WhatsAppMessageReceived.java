package dev.switchboard.events;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One inbound message from a verified WhatsApp Cloud API webhook, as Meta sent it.
 *
 * @param tenantId the tenant owning the business phone number
 * @param conversationId the conversation with this customer (see {@code ConversationIds})
 * @param phoneNumberId Meta's id of the business phone number
 * ({@code metadata.phone_number_id})
 * @param waId the customer's WhatsApp id
 * @param profileName the customer's profile name, when Meta sent one
 * @param wamid Meta's message id, unique per message: the deduplication key
 * @param type Meta's message type ({@code text}, {@code image}, ...)
 * @param timestamp the message's WhatsApp timestamp (when the customer sent it)
 * @param message the message object exactly as Meta sent it (JSON)
 */
public record WhatsAppMessageReceived(String tenantId, String conversationId, String phoneNumberId, String waId,
		@Nullable String profileName, String wamid, String type, Instant timestamp,
		String message) implements GatewayEvent {

}

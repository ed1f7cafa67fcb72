package dev.switchboard.inbox.conversation;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.switchboard.events.WhatsAppError;

/**
 * A message of a conversation. The device a message was sent from is for owners and
 * admins only (audit-service's message info), not shown here.
 *
 * @param id the inbox's message id
 * @param conversationId the conversation
 * @param direction {@code INBOUND} (from the customer) or {@code OUTBOUND}
 * @param wamid Meta's message id
 * @param type Meta's message type ({@code unsupported} for one the inbox does not know)
 * @param body text, caption, button or list title, reaction emoji, location, contacts
 * @param mediaId Meta's media id
 * @param mimeType the media's MIME type
 * @param sentAt the WhatsApp timestamp (inbound) or when Meta reported it sent (outbound)
 * @param storedAt when the inbox stored it
 * @param status outbound only: {@code QUEUED}, {@code ACCEPTED}, {@code SENT},
 * {@code DELIVERED}, {@code READ} or {@code FAILED}
 * @param deliveredAt outbound: delivered tick
 * @param readAt outbound: read tick
 * @param error outbound: why it failed, in one line
 * @param errors outbound: Meta's {@code errors[]} of a failed send, in full; null
 * otherwise
 * @param agentId outbound: the agent who sent it
 * @param templateName outbound: the template
 */
public record MessageView(String id, String conversationId, String direction, @Nullable String wamid, String type,
		@Nullable String body, @Nullable String mediaId, @Nullable String mimeType, @Nullable Instant sentAt,
		Instant storedAt, @Nullable String status, @Nullable Instant deliveredAt, @Nullable Instant readAt,
		@Nullable String error, @Nullable List<WhatsAppError> errors, @Nullable String agentId,
		@Nullable String templateName) {

}

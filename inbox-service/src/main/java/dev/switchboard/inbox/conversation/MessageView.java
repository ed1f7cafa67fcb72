package dev.switchboard.inbox.conversation;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A message of a conversation.
 *
 * @param id the inbox's message id
 * @param conversationId the conversation
 * @param direction {@code INBOUND} (from the customer) or {@code OUTBOUND}
 * @param wamid Meta's message id
 * @param type the message type
 * @param body text or caption, if any
 * @param sentAt the WhatsApp timestamp
 * @param storedAt when the inbox stored it
 */
public record MessageView(String id, String conversationId, String direction, @Nullable String wamid, String type,
		@Nullable String body, @Nullable Instant sentAt, Instant storedAt) {

}

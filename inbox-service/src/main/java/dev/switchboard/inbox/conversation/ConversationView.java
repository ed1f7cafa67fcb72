package dev.switchboard.inbox.conversation;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A conversation as the inbox list shows it.
 *
 * @param id the conversation id
 * @param contactId the customer's contact id
 * @param waId the customer's WhatsApp id
 * @param profileName the customer's profile name, if known
 * @param status {@code OPEN}, {@code PENDING} or {@code RESOLVED}
 * @param unreadCount customer messages not yet read by the team
 * @param lastMessageAt when the last message was sent
 */
public record ConversationView(String id, String contactId, String waId, @Nullable String profileName, String status,
		int unreadCount, Instant lastMessageAt) {

}

package dev.switchboard.inbox.conversation;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A conversation as the inbox list shows it.
 *
 * @param id the conversation id
 * @param contactId the customer's contact id
 * @param waId the customer's WhatsApp id
 * @param profileName the customer's profile name, if known
 * @param status {@code OPEN}, {@code PENDING} or {@code RESOLVED}
 * @param unreadCount customer messages not yet answered
 * @param lastMessageAt when the last message was sent
 * @param lastMessageText the last message's text, if it had one
 * @param assignee the agent routing assigned it to, if any
 * @param windowExpiresAt when the 24-hour window closes (free-form replies until then)
 * @param labels label names
 */
public record ConversationView(String id, String contactId, String waId, @Nullable String profileName, String status,
		int unreadCount, Instant lastMessageAt, @Nullable String lastMessageText, @Nullable String assignee,
		@Nullable Instant windowExpiresAt, List<String> labels) {

}

package dev.switchboard.console.api;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A conversation as the API lists it ({@code GET /api/v1/conversations}).
 *
 * @param id the conversation
 * @param contactId the customer's contact
 * @param waId the customer's WhatsApp id
 * @param profileName the customer's profile name
 * @param status {@code OPEN}, {@code PENDING} or {@code RESOLVED}
 * @param unreadCount customer messages not yet answered
 * @param lastMessageAt the last message's time
 * @param lastMessageText the last message's text
 * @param assignee the agent holding it
 * @param windowExpiresAt when the 24-hour window closes
 * @param labels label names
 */
public record Conversation(String id, String contactId, String waId, @Nullable String profileName, String status,
		int unreadCount, Instant lastMessageAt, @Nullable String lastMessageText, @Nullable String assignee,
		@Nullable Instant windowExpiresAt, @Nullable List<String> labels) {

	/** What to call the customer. */
	public String customer() {
		return (this.profileName != null && !this.profileName.isBlank()) ? this.profileName : "+" + this.waId;
	}

	public boolean isResolved() {
		return "RESOLVED".equals(this.status);
	}

}

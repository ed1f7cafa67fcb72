package dev.switchboard.inbox.conversation;

import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * Filters of the conversation list; all optional, combined with AND.
 *
 * @param status {@code OPEN}, {@code PENDING} or {@code RESOLVED}
 * @param unread only conversations with unread messages
 * @param label a label name
 * @param assignee an agent's subject
 * @param unassigned only conversations no agent holds (waiting in the queue)
 * @param contactId a contact
 * @param text words in any message of the conversation
 */
record ConversationFilter(@Nullable String status, boolean unread, @Nullable String label, @Nullable String assignee,
		boolean unassigned, @Nullable UUID contactId, @Nullable String text) {

}

package dev.switchboard.events;

import java.time.Instant;

/**
 * A conversation of the shared inbox moved between {@code OPEN}, {@code PENDING} and
 * {@code RESOLVED} (a resolved conversation reopens when the customer writes again).
 *
 * @param tenantId the tenant
 * @param conversationId the conversation
 * @param status the new status
 * @param changedBy the subject who changed it ({@code customer} for a reopening)
 * @param changedAt when
 */
public record ConversationStatusChanged(String tenantId, String conversationId, String status, String changedBy,
		Instant changedAt) implements InboxEvent {

}

package dev.switchboard.routing.assignment;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Who has a conversation.
 *
 * @param conversationId the conversation
 * @param state {@code QUEUED}, {@code ASSIGNED} or {@code RESOLVED}
 * @param teamId its team, null when the tenant has no team for it
 * @param agentId the agent who has it (the last one, once resolved)
 * @param queuedAt when it joined the queue
 * @param assignedAt when it was assigned
 * @param awaitingSince the customer's first unanswered message, null when answered
 * @param flaggedAt when it was flagged to supervisors (window closing, nobody free)
 */
public record AssignmentView(String conversationId, String state, @Nullable String teamId, @Nullable String agentId,
		@Nullable Instant queuedAt, @Nullable Instant assignedAt, @Nullable Instant awaitingSince,
		@Nullable Instant flaggedAt) {

}

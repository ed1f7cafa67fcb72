package dev.switchboard.events;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A conversation's window is closing with the customer unanswered: it was handed to
 * another agent, or, with nobody free, flagged to the team's supervisors.
 *
 * @param tenantId the tenant
 * @param conversationId the conversation
 * @param teamId the team
 * @param fromAgentId the agent who had it
 * @param toAgentId the agent it went to, or null when flagged to supervisors
 * @param escalatedAt when
 */
public record ConversationEscalated(String tenantId, String conversationId, String teamId, @Nullable String fromAgentId,
		@Nullable String toAgentId, Instant escalatedAt) implements RoutingEvent {

}

package dev.switchboard.events;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A conversation was given to an agent.
 *
 * @param tenantId the tenant
 * @param conversationId the conversation
 * @param agentId the agent's subject
 * @param teamId the team
 * @param reason {@code AUTO}, {@code MANUAL}, {@code TRANSFER}, {@code TAKEN} or
 * {@code ESCALATED}
 * @param previousAgentId the agent who had it before, if any
 * @param assignedAt when
 */
public record ConversationAssigned(String tenantId, String conversationId, String agentId, String teamId, String reason,
		@Nullable String previousAgentId, Instant assignedAt) implements RoutingEvent {

}

package dev.switchboard.events;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A conversation waits in its team's queue for an agent.
 *
 * @param tenantId the tenant
 * @param conversationId the conversation
 * @param teamId the team
 * @param reason {@code NO_AGENT_AVAILABLE} or {@code AGENT_OFFLINE}
 * @param previousAgentId the agent who had it before, if any
 * @param queuedAt when
 */
public record ConversationQueued(String tenantId, String conversationId, String teamId, String reason,
		@Nullable String previousAgentId, Instant queuedAt) implements RoutingEvent {

}

package dev.switchboard.events;

import java.time.Instant;

/**
 * A customer wrote again while the window was open: it now closes 24 hours after this
 * message.
 *
 * @param tenantId the tenant
 * @param conversationId the conversation
 * @param openedAt when the window opened
 * @param expiresAt the new expiry
 */
public record WindowExtended(String tenantId, String conversationId, Instant openedAt,
		Instant expiresAt) implements RoutingEvent {

}

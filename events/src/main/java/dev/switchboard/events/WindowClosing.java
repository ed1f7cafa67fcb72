package dev.switchboard.events;

import java.time.Instant;

/**
 * A window entered its last stretch (by default the last hour before expiry).
 *
 * @param tenantId the tenant
 * @param conversationId the conversation
 * @param expiresAt when it will expire
 * @param unanswered whether the customer's last message is still without a reply
 */
public record WindowClosing(String tenantId, String conversationId, Instant expiresAt,
		boolean unanswered) implements RoutingEvent {

}

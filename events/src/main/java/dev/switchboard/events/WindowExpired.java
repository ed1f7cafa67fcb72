package dev.switchboard.events;

import java.time.Instant;

/**
 * A window expired: from now on only templates may be sent.
 *
 * @param tenantId the tenant
 * @param conversationId the conversation
 * @param expiredAt the expiry
 * @param unanswered whether the customer's last message never got a reply
 */
public record WindowExpired(String tenantId, String conversationId, Instant expiredAt,
		boolean unanswered) implements RoutingEvent {

}

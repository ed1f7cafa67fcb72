package dev.switchboard.events;

import java.time.Instant;

/**
 * A conversation's 24-hour customer-service window opened (it was closed or never open).
 *
 * @param tenantId the tenant
 * @param conversationId the conversation
 * @param openedAt the WhatsApp timestamp of the customer message that opened it
 * @param expiresAt 24 hours after the customer's last message
 */
public record WindowOpened(String tenantId, String conversationId, Instant openedAt,
		Instant expiresAt) implements RoutingEvent {

}

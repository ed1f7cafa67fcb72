package dev.switchboard.routing.window;

import java.time.Instant;

/**
 * A conversation's window as the API shows it.
 *
 * @param conversationId the conversation
 * @param state the state now
 * @param openedAt the WhatsApp timestamp of the customer message that opened it
 * @param lastCustomerMessageAt the WhatsApp timestamp of the customer's last message
 * @param expiresAt 24 hours after the customer's last message
 */
public record WindowView(String conversationId, WindowState state, Instant openedAt, Instant lastCustomerMessageAt,
		Instant expiresAt) {

}

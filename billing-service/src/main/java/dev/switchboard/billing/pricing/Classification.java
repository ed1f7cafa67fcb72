package dev.switchboard.billing.pricing;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * How one outbound message is billed.
 *
 * @param category the billing category
 * @param inWindow whether the customer's 24-hour window was open when it was sent
 * @param charged whether it costs money (the rate card's price), or is free
 * @param lateReply a template that answered a customer whose window had expired
 * unanswered
 * @param windowExpiresAt when the window (from the customer's last message before the
 * send) closes, or null if the customer never wrote
 */
public record Classification(ChargeCategory category, boolean inWindow, boolean charged, boolean lateReply,
		@Nullable Instant windowExpiresAt) {

}

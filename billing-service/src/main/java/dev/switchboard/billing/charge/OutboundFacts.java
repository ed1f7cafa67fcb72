package dev.switchboard.billing.charge;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Everything the price of a delivered message depends on, gathered either from billing's
 * tables (live) or from a replay of the event ledger (recompute).
 *
 * @param tenantId the tenant
 * @param wamid the message
 * @param conversationId its conversation
 * @param waId the customer's number
 * @param agentId who sent it
 * @param kind {@code text}, {@code media} or {@code template}
 * @param templateName the template, if one
 * @param templateCategory the template's category, if one
 * @param sentAt when Meta accepted it
 * @param lastCustomerMessageAt the customer's latest message at or before the send
 * @param answeredSince whether another agent message was sent after that customer message
 * and before this one
 * @param billableAt when it was delivered, or read if delivery was never reported
 */
record OutboundFacts(String tenantId, String wamid, String conversationId, String waId, String agentId, String kind,
		@Nullable String templateName, @Nullable String templateCategory, Instant sentAt,
		@Nullable Instant lastCustomerMessageAt, boolean answeredSince, Instant billableAt) {

}

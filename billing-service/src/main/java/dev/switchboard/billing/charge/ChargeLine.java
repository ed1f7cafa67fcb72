package dev.switchboard.billing.charge;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;

import org.jspecify.annotations.Nullable;

import dev.switchboard.billing.pricing.ChargeCategory;

/**
 * What one delivered outbound message costs, free or charged.
 *
 * @param wamid Meta's message id: one line per wamid
 * @param conversationId the conversation
 * @param agentId who sent it
 * @param kind {@code text}, {@code media} or {@code template}
 * @param templateName the template, if one
 * @param category the billing category
 * @param inWindow whether the customer's window was open at the send
 * @param charged whether it costs the unit price
 * @param lateReply a template answering a customer whose window expired unanswered
 * @param countryCode the calling code the price is for ({@code ""}: default)
 * @param rateCardId the rate card, for a charged message
 * @param unitPrice the price, zero when free
 * @param currency ISO 4217 code
 * @param sentAt when Meta accepted it
 * @param windowExpiresAt when the window closed, or null if the customer never wrote
 * @param billableAt when it was delivered (or read, if delivery was never reported)
 */
public record ChargeLine(String wamid, String conversationId, String agentId, String kind,
		@Nullable String templateName, ChargeCategory category, boolean inWindow, boolean charged, boolean lateReply,
		String countryCode, @Nullable Long rateCardId, BigDecimal unitPrice, String currency, Instant sentAt,
		@Nullable Instant windowExpiresAt, Instant billableAt) {

	public YearMonth month() {
		return YearMonth.from(this.billableAt.atOffset(ZoneOffset.UTC));
	}

}

package dev.switchboard.billing.pricing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A version of the rate card.
 *
 * @param id the card
 * @param tenantId the tenant it applies to, or null for the platform's card
 * @param name a name, e.g. {@code meta-2025-07}
 * @param currency ISO 4217 code
 * @param effectiveFrom from when it prices messages
 * @param prices its prices
 * @param createdAt when it was added
 * @param createdBy who added it
 */
record RateCardView(long id, @Nullable String tenantId, String name, String currency, Instant effectiveFrom,
		List<Price> prices, Instant createdAt, String createdBy) {

	/**
	 * One price of a card.
	 *
	 * @param category {@code MARKETING}, {@code UTILITY} or {@code AUTHENTICATION}
	 * @param countryCode the country calling code, or {@code ""} for every other country
	 * @param price per delivered message, in the currency's units
	 */
	record Price(String category, String countryCode, BigDecimal price) {

	}

}

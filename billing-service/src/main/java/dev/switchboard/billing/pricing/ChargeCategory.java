package dev.switchboard.billing.pricing;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/** What an outbound message is billed as, the way Meta prices the Cloud API. */
public enum ChargeCategory {

	/** A free-form (non-template) message: free inside the customer's window. */
	SERVICE,

	/** A utility template: free inside an open window, charged outside it. */
	UTILITY,

	/** A marketing template: always charged. */
	MARKETING,

	/** An authentication template: always charged. */
	AUTHENTICATION;

	/** The categories a rate card prices. */
	public static final java.util.List<ChargeCategory> PRICED = java.util.List.of(UTILITY, MARKETING, AUTHENTICATION);

	/**
	 * The category of a template. Meta bills a template it has not categorised as
	 * marketing, so an unknown or missing category is treated as {@link #MARKETING}.
	 * @param templateCategory the category the inbox reported
	 * @return the category
	 */
	static ChargeCategory ofTemplate(@Nullable String templateCategory) {
		if (templateCategory == null) {
			return MARKETING;
		}
		return switch (templateCategory.trim().toUpperCase(Locale.ROOT)) {
			case "UTILITY" -> UTILITY;
			case "AUTHENTICATION" -> AUTHENTICATION;
			default -> MARKETING;
		};
	}

}

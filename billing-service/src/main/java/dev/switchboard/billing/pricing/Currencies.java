package dev.switchboard.billing.pricing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;

import org.jspecify.annotations.Nullable;

import dev.switchboard.billing.web.Rejections;

/** Currency codes and minor units. */
public final class Currencies {

	/** The currency of a tenant without a plan. */
	public static final String DEFAULT = "EUR";

	private Currencies() {
	}

	public static String check(@Nullable String code, Rejections rejections) {
		if (code == null || !code.matches("[A-Z]{3}")) {
			throw rejections.reject("currency", "currency must be an ISO 4217 code such as EUR");
		}
		try {
			Currency.getInstance(code);
		}
		catch (IllegalArgumentException ex) {
			throw rejections.reject("currency", "unknown currency " + code);
		}
		return code;
	}

	/**
	 * Rounds an amount in the currency's units to its minor units (half up).
	 * @param amount the amount, e.g. 1.2345 EUR
	 * @param currency the currency
	 * @return the amount in minor units, e.g. 123 cents
	 */
	public static long toMinor(BigDecimal amount, String currency) {
		int digits = Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
		return amount.movePointRight(digits).setScale(0, RoundingMode.HALF_UP).longValueExact();
	}

	/**
	 * Formats minor units as a decimal amount.
	 * @param minor the amount in minor units
	 * @param currency the currency
	 * @return e.g. {@code 12.34}
	 */
	public static String format(long minor, String currency) {
		int digits = Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
		return BigDecimal.valueOf(minor, digits).toPlainString();
	}

}

package dev.switchboard.console.display;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Currency;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * How the owner's, finance's and SRE's pages write times and amounts, called from the
 * templates as {@code ${@display.time(...)}}: times in UTC (the API's and the bill's
 * zone), amounts from minor units with the currency's decimals.
 */
@Component("display")
public class Display {

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
		.withZone(ZoneOffset.UTC);

	/**
	 * A time.
	 * @param at the time, if any
	 * @return it in UTC, or a dash
	 */
	public String time(@Nullable Instant at) {
		return (at != null) ? TIME.format(at) : "–";
	}

	/**
	 * An amount.
	 * @param minor the amount in minor units
	 * @param currency its ISO 4217 code
	 * @return e.g. {@code 12.50 EUR}
	 */
	public String money(long minor, String currency) {
		int digits = Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
		return BigDecimal.valueOf(minor, digits).toPlainString() + " " + currency;
	}

}

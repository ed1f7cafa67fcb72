package dev.switchboard.events;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

import org.jspecify.annotations.Nullable;

/**
 * Reads the timestamps events carry (in their JSON and their {@code ce_time}): RFC 3339
 * in UTC, as {@link Instant#toString()} writes them. That form is read directly, at a
 * fraction of what {@link Instant#parse} costs (the formatter's parse was half of the
 * decoding of an event); any other form {@link Instant#parse} accepts is read by it.
 */
public final class Timestamps {

	private static final int SECONDS_PER_DAY = 86_400;

	private Timestamps() {
	}

	/**
	 * Reads a timestamp.
	 * @param text an ISO-8601 instant, such as {@code 2026-12-03T14:33:05.123Z}
	 * @return the instant
	 * @throws DateTimeParseException if it is not one
	 */
	public static Instant parse(CharSequence text) {
		Instant instant = utc(text);
		return (instant != null) ? instant : Instant.parse(text);
	}

	/**
	 * The instant of {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}, or null when the text has
	 * another form (or is not a valid date), for a general parser to read or reject.
	 * @param text the text
	 * @return the instant, or null
	 */
	static @Nullable Instant utc(CharSequence text) {
		int length = text.length();
		if (length < 20 || length == 21 || length > 30 || text.charAt(length - 1) != 'Z' || text.charAt(4) != '-'
				|| text.charAt(7) != '-' || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':'
				|| (length > 20 && text.charAt(19) != '.')) {
			return null;
		}
		int year = digits(text, 0, 4);
		int month = digits(text, 5, 2);
		int day = digits(text, 8, 2);
		int hour = digits(text, 11, 2);
		int minute = digits(text, 14, 2);
		int second = digits(text, 17, 2);
		int nanos = (length > 20) ? digits(text, 20, length - 21) : 0;
		if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0
				|| second > 59 || nanos < 0) {
			// a leap second (60) among others: Instant.parse knows what to do
			return null;
		}
		for (int i = length - 21; i < 9; i++) {
			nanos *= 10;
		}
		long epochDay;
		try {
			epochDay = LocalDate.of(year, month, day).toEpochDay();
		}
		catch (DateTimeException ex) {
			return null;
		}
		return Instant.ofEpochSecond(epochDay * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second, nanos);
	}

	/** The number the digits at {@code [from, from + count)} spell, or -1. */
	private static int digits(CharSequence text, int from, int count) {
		int value = 0;
		for (int i = from; i < from + count; i++) {
			int digit = text.charAt(i) - '0';
			if (digit < 0 || digit > 9) {
				return -1;
			}
			value = value * 10 + digit;
		}
		return value;
	}

}

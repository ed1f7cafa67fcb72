package dev.switchboard.billing.web;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;

/** Reading and binding columns. */
public final class Rows {

	private Rows() {
	}

	public static OffsetDateTime utc(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

	public static <T> T value(Readable row, String column, Class<T> type) {
		T value = row.get(column, type);
		if (value == null) {
			throw new IllegalStateException(column + " is never null");
		}
		return value;
	}

	public static Instant instant(Readable row, String column) {
		return value(row, column, OffsetDateTime.class).toInstant();
	}

	public static @Nullable Instant instantOrNull(Readable row, String column) {
		OffsetDateTime value = row.get(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	public static LocalDate date(Readable row, String column) {
		return value(row, column, LocalDate.class);
	}

}

package dev.switchboard.routing;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;

/** Reading and binding timestamps the same way everywhere in the service. */
public final class Rows {

	private Rows() {
	}

	public static OffsetDateTime utc(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

	public static Instant instant(Readable row, String column) {
		Instant value = nullableInstant(row, column);
		if (value == null) {
			throw new IllegalStateException(column + " is never null");
		}
		return value;
	}

	public static @Nullable Instant nullableInstant(Readable row, String column) {
		OffsetDateTime value = row.get(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	public static String text(Readable row, String column) {
		String value = row.get(column, String.class);
		if (value == null) {
			throw new IllegalStateException(column + " is never null");
		}
		return value;
	}

}

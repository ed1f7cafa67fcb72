package dev.switchboard.inbox.outbound;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import io.r2dbc.spi.Readable;

/** Timestamps in and out of the database, the same way everywhere. */
final class Times {

	private Times() {
	}

	static OffsetDateTime utc(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

	static Instant instant(Readable row, String column) {
		OffsetDateTime value = row.get(column, OffsetDateTime.class);
		if (value == null) {
			throw new IllegalStateException(column + " is never null");
		}
		return value.toInstant();
	}

}

package dev.switchboard.events;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class TimestampsTests {

	@Test
	void whenInstantsAreWrittenAsInstantWritesThemThenTheyAreReadBackExactly() {
		SplittableRandom random = new SplittableRandom(20261203);
		long from = Instant.parse("1970-01-01T00:00:00Z").getEpochSecond();
		long to = Instant.parse("2100-01-01T00:00:00Z").getEpochSecond();
		for (int i = 0; i < 100_000; i++) {
			// whole seconds, milli-, micro- and nanosecond fractions: every length
			// toString
			// writes
			int nanos = switch (i % 4) {
				case 0 -> 0;
				case 1 -> random.nextInt(1000) * 1_000_000;
				case 2 -> random.nextInt(1_000_000) * 1000;
				default -> random.nextInt(1_000_000_000);
			};
			Instant instant = Instant.ofEpochSecond(random.nextLong(from, to), nanos);
			assertThat(Timestamps.parse(instant.toString())).isEqualTo(instant);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "2024-02-29T23:59:59.9Z", "2026-12-03T14:33:05.1234Z", "1969-12-31T23:59:59Z",
			"2026-12-03T14:33:05+01:00", "2026-12-03t14:33:05z", "2016-12-31T23:59:60Z", "+12026-01-01T00:00:00Z",
			"2026-12-03T14:33:05.123456789Z", "2026-12-03T24:00:00Z", "2026-12-03T14:33:05.Z" })
	void whenATimestampIsValidThenItIsReadAsInstantParseReadsIt(String text) {
		assertThat(Timestamps.parse(text)).isEqualTo(Instant.parse(text));
	}

	@ParameterizedTest
	@ValueSource(strings = { "2026-02-29T10:00:00Z", "2026-13-01T10:00:00Z", "2026-12-03T14:60:05Z",
			"2026-12-03T14:33:05.1234567890Z", "2026-12-03 14:33:05Z", "2026-12-0xT14:33:05Z", "yesterday", "" })
	void whenATimestampIsNotValidThenItIsRejectedAsInstantParseRejectsIt(String text) {
		assertThatExceptionOfType(DateTimeParseException.class).isThrownBy(() -> Instant.parse(text));
		assertThatExceptionOfType(DateTimeParseException.class).isThrownBy(() -> Timestamps.parse(text));
	}

}

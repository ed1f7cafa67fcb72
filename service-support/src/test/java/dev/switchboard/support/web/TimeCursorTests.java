package dev.switchboard.support.web;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.web.server.ResponseStatusException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class TimeCursorTests {

	@Test
	void whenACursorIsHandedBackThenItDecodesToTheSamePosition() {
		TimeCursor cursor = new TimeCursor(Instant.parse("2026-11-23T10:15:30.123456Z"), UUID.randomUUID());

		assertThat(TimeCursor.decode(cursor.encode())).isEqualTo(cursor);
		assertThat(TimeCursor.decode(null)).isNull();
		assertThat(TimeCursor.decode(" ")).isNull();
	}

	@Test
	void whenACursorWasNotHandedOutThenBadRequest() {
		for (String forged : new String[] { "not base64!", "bm8tc2VwYXJhdG9y", Cursors.encode("a", "b") }) {
			assertThatExceptionOfType(ResponseStatusException.class).isThrownBy(() -> TimeCursor.decode(forged))
				.satisfies((ex) -> assertThat(ex.getStatusCode().value()).isEqualTo(400));
		}
	}

}

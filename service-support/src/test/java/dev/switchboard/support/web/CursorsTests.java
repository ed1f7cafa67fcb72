package dev.switchboard.support.web;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.web.server.ResponseStatusException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class CursorsTests {

	@Test
	void whenACursorIsEncodedThenItDecodesToTheSameParts() {
		String cursor = Cursors.encode("2", "2026-01-01T10:00:00.123456Z", "team.with|odd chars");
		assertThat(cursor).matches("[A-Za-z0-9_-]+");
		assertThat(Cursors.decode(cursor, 3))
			.isEqualTo(List.of("2", "2026-01-01T10:00:00.123456Z", "team.with|odd chars"));
	}

	@Test
	void whenNoCursorIsGivenThenTheFirstPageIsAsked() {
		assertThat(Cursors.decode(null, 1)).isNull();
		assertThat(Cursors.decode(" ", 1)).isNull();
	}

	@Test
	void whenTheCursorIsForgedOrHasTheWrongShapeThenItIsRefusedWith400() {
		for (String forged : List.of("abc", "YWJj", "!!!", Cursors.encode("a", "b"))) {
			assertThatExceptionOfType(ResponseStatusException.class).isThrownBy(() -> Cursors.decode(forged, 1))
				.satisfies((ex) -> assertThat(ex.getStatusCode().value()).isEqualTo(400));
		}
	}

	@Test
	void whenTheLimitIsOutOfRangeThenItIsRefusedWith400() {
		assertThat(Cursors.limit(1, 200)).isEqualTo(1);
		assertThat(Cursors.limit(200, 200)).isEqualTo(200);
		for (int limit : new int[] { 0, -1, 201 }) {
			assertThatExceptionOfType(ResponseStatusException.class).isThrownBy(() -> Cursors.limit(limit, 200));
		}
	}

}

package dev.switchboard.inbox.integration;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * An opaque keyset cursor over newest-first lists: the creation time and id of the last
 * item of a page.
 *
 * @param at the item's creation time
 * @param id its id, breaking ties
 */
record PageCursor(Instant at, UUID id) {

	String encode() {
		String raw = this.at + "|" + this.id;
		return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
	}

	static @Nullable PageCursor decode(@Nullable String cursor) {
		if (cursor == null || cursor.isBlank()) {
			return null;
		}
		try {
			String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
			int separator = raw.indexOf('|');
			return new PageCursor(Instant.parse(raw.substring(0, separator)),
					UUID.fromString(raw.substring(separator + 1)));
		}
		catch (IllegalArgumentException | DateTimeParseException | StringIndexOutOfBoundsException ex) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"The cursor is not one this API returned; pass nextCursor unchanged");
		}
	}

	static int limit(int limit) {
		if (limit < 1 || limit > 100) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "limit must be between 1 and 100");
		}
		return limit;
	}

}

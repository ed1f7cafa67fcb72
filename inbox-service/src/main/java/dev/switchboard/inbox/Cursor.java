package dev.switchboard.inbox;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * An opaque keyset cursor over lists sorted by a timestamp and an id (conversations,
 * messages, CRM subscriptions and deliveries): those of the last item of a page.
 *
 * @param at the sort timestamp
 * @param id the id, breaking ties
 */
public record Cursor(Instant at, UUID id) {

	/**
	 * The cursor as the API hands it out.
	 * @return the opaque cursor
	 */
	public String encode() {
		String raw = this.at + "|" + this.id;
		return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Reads a cursor the API handed out.
	 * @param cursor the cursor, or null for the first page
	 * @return the position, or null for the first page
	 * @throws ResponseStatusException 400 when it is not such a cursor
	 */
	public static @Nullable Cursor decode(@Nullable String cursor) {
		if (cursor == null || cursor.isBlank()) {
			return null;
		}
		try {
			String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
			int separator = raw.indexOf('|');
			return new Cursor(Instant.parse(raw.substring(0, separator)),
					UUID.fromString(raw.substring(separator + 1)));
		}
		catch (IllegalArgumentException | DateTimeParseException | StringIndexOutOfBoundsException ex) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"The cursor is not one this API returned; pass nextCursor unchanged");
		}
	}

	/**
	 * Checks a page size.
	 * @param limit the requested size
	 * @return the size
	 * @throws ResponseStatusException 400 outside 1..100
	 */
	public static int limit(int limit) {
		if (limit < 1 || limit > 100) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "limit must be between 1 and 100");
		}
		return limit;
	}

}

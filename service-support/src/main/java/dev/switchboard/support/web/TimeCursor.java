package dev.switchboard.support.web;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.web.server.ResponseStatusException;

/**
 * An opaque keyset cursor over a list sorted by a timestamp and an id (conversations,
 * messages, CRM subscriptions, API keys, devices): those of a page's last item.
 *
 * @param at the sort timestamp
 * @param id the id, breaking ties
 */
public record TimeCursor(Instant at, UUID id) {

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
	public static @Nullable TimeCursor decode(@Nullable String cursor) {
		if (cursor == null || cursor.isBlank()) {
			return null;
		}
		try {
			String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
			int separator = raw.indexOf('|');
			return new TimeCursor(Instant.parse(raw.substring(0, separator)),
					UUID.fromString(raw.substring(separator + 1)));
		}
		catch (IllegalArgumentException | DateTimeParseException | StringIndexOutOfBoundsException ex) {
			throw Cursors.invalid();
		}
	}

}

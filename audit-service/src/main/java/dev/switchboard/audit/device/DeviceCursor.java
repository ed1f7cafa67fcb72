package dev.switchboard.audit.device;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * An opaque keyset cursor over devices: the registration time and id of a page's last
 * device.
 *
 * @param registeredAt its registration time
 * @param id its id, breaking ties
 */
record DeviceCursor(Instant registeredAt, UUID id) {

	String encode() {
		String raw = this.registeredAt + "|" + this.id;
		return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Reads a cursor.
	 * @param cursor what the client passed
	 * @return the cursor, or null for the first page
	 * @throws IllegalArgumentException if it is not a cursor this API handed out
	 */
	static @Nullable DeviceCursor decode(@Nullable String cursor) {
		if (cursor == null || cursor.isBlank()) {
			return null;
		}
		try {
			String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
			int separator = raw.indexOf('|');
			return new DeviceCursor(Instant.parse(raw.substring(0, separator)),
					UUID.fromString(raw.substring(separator + 1)));
		}
		catch (DateTimeParseException | StringIndexOutOfBoundsException ex) {
			throw new IllegalArgumentException("Not a device cursor", ex);
		}
	}

}

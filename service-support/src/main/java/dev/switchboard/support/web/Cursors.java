package dev.switchboard.support.web;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * Opaque keyset cursors: the sort key of a page's last item, each part base64url, so a
 * client passes {@code nextCursor} back unchanged and cannot build one.
 */
public final class Cursors {

	private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

	private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

	private static final String VERSION = "c1";

	private Cursors() {
	}

	/**
	 * Checks a page size.
	 * @param limit the requested size
	 * @param max the largest allowed
	 * @return the size
	 * @throws ResponseStatusException 400 outside 1..max
	 */
	public static int limit(int limit, int max) {
		if (limit < 1 || limit > max) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "limit must be between 1 and " + max);
		}
		return limit;
	}

	/**
	 * A cursor from the sort key's parts.
	 * @param parts the parts, in sort order
	 * @return the cursor
	 */
	public static String encode(String... parts) {
		List<String> encoded = new ArrayList<>(parts.length + 1);
		encoded.add(VERSION);
		for (String part : parts) {
			encoded.add(ENCODER.encodeToString(part.getBytes(StandardCharsets.UTF_8)));
		}
		return ENCODER.encodeToString(String.join(".", encoded).getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * The sort key's parts of a cursor this API returned.
	 * @param cursor the cursor, or null for the first page
	 * @param parts how many parts it must have
	 * @return the parts, or null for the first page
	 * @throws ResponseStatusException 400 when it is not such a cursor
	 */
	public static @Nullable List<String> decode(@Nullable String cursor, int parts) {
		if (cursor == null || cursor.isBlank()) {
			return null;
		}
		try {
			String raw = new String(DECODER.decode(cursor), StandardCharsets.UTF_8);
			String[] encoded = raw.split("\\.", -1);
			if (encoded.length != parts + 1 || !VERSION.equals(encoded[0])) {
				throw invalid();
			}
			List<String> decoded = new ArrayList<>(parts);
			for (int i = 1; i < encoded.length; i++) {
				decoded.add(new String(DECODER.decode(encoded[i]), StandardCharsets.UTF_8));
			}
			return decoded;
		}
		catch (IllegalArgumentException ex) {
			throw invalid();
		}
	}

	/**
	 * The answer to a cursor whose parts do not parse.
	 * @return a 400
	 */
	public static ResponseStatusException invalid() {
		return new ResponseStatusException(HttpStatus.BAD_REQUEST,
				"The cursor is not one this API returned; pass nextCursor unchanged");
	}

}

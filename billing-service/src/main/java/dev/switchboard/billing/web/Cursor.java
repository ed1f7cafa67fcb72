package dev.switchboard.billing.web;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.time.DateTimeException;
import java.util.List;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * An opaque keyset cursor: the sort key of the last item of a page, as strings.
 *
 * @param keys the sort key's parts
 */
public record Cursor(List<String> keys) {

	private static final String SEPARATOR = "\u001f";

	public Cursor {
		keys = List.copyOf(keys);
	}

	public static Cursor of(String... keys) {
		return new Cursor(List.of(keys));
	}

	public String key(int index) {
		return this.keys.get(index);
	}

	public String encode() {
		return Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(String.join(SEPARATOR, this.keys).getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Reads a cursor this API returned.
	 * @param cursor the cursor, or null for the first page
	 * @param parts how many parts the list's cursors have
	 * @param rejections where a bad cursor is counted
	 * @param check parses the parts the way the list will, throwing if they do not parse
	 * @return the cursor, or null
	 */
	public static @Nullable Cursor decode(@Nullable String cursor, int parts, Rejections rejections,
			Consumer<Cursor> check) {
		if (cursor == null || cursor.isBlank()) {
			return null;
		}
		try {
			String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
			List<String> keys = List.of(raw.split(SEPARATOR, -1));
			if (keys.size() != parts) {
				throw new IllegalArgumentException("wrong number of parts");
			}
			Cursor decoded = new Cursor(keys);
			check.accept(decoded);
			return decoded;
		}
		catch (IllegalArgumentException | DateTimeException ex) {
			throw rejections.reject("cursor", "The cursor is not one this API returned; pass nextCursor unchanged");
		}
	}

	/**
	 * Checks a page size.
	 * @param limit the requested size
	 * @param rejections where a bad size is counted
	 * @return the size
	 */
	public static int limit(int limit, Rejections rejections) {
		if (limit < 1 || limit > 100) {
			throw rejections.reject("limit", "limit must be between 1 and 100");
		}
		return limit;
	}

}

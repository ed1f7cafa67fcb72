package dev.switchboard.billing.web;

import java.util.List;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * One page of a list: pass {@code nextCursor} as {@code cursor} to get the next one.
 *
 * @param <T> the item type
 * @param items the items
 * @param nextCursor the cursor of the next page, or null on the last page
 */
public record Page<T>(List<T> items, @Nullable String nextCursor) {

	/**
	 * A page from rows fetched with one more than the limit.
	 * @param <T> the item type
	 * @param rows up to {@code limit + 1} rows
	 * @param limit the page size
	 * @param cursorOf the cursor after an item
	 * @return the page
	 */
	public static <T> Page<T> of(List<T> rows, int limit, Function<T, Cursor> cursorOf) {
		if (rows.size() <= limit) {
			return new Page<>(List.copyOf(rows), null);
		}
		List<T> items = List.copyOf(rows.subList(0, limit));
		return new Page<>(items, cursorOf.apply(items.getLast()).encode());
	}

}

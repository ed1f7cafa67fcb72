package dev.switchboard.inbox.conversation;

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
	 * The page of a query that asked for one row more than the limit.
	 * @param <T> the item type
	 * @param rows up to {@code limit + 1} rows
	 * @param limit the page size
	 * @param cursorOf the cursor that continues after an item
	 * @return the page, with a cursor when there were more rows
	 */
	public static <T> Page<T> of(List<T> rows, int limit, Function<T, String> cursorOf) {
		List<T> items = List.copyOf(rows.subList(0, Math.min(limit, rows.size())));
		return new Page<>(items, (rows.size() > limit) ? cursorOf.apply(items.getLast()) : null);
	}

}

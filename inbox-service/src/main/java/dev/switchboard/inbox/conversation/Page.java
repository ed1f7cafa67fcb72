package dev.switchboard.inbox.conversation;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One page of a list: pass {@code nextCursor} as {@code cursor} to get the next one.
 *
 * @param <T> the item type
 * @param items the items
 * @param nextCursor the cursor of the next page, or null on the last page
 */
public record Page<T>(List<T> items, @Nullable String nextCursor) {

}

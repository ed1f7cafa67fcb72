package dev.switchboard.console.api;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One page of an API list.
 *
 * @param <T> the item type
 * @param items the items
 * @param nextCursor the next page's cursor, null on the last
 */
public record Page<T>(List<T> items, @Nullable String nextCursor) {

}

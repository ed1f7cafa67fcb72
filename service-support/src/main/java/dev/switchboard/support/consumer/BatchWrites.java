package dev.switchboard.support.consumer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

/**
 * Writes that the events of one batch add to and that are made together, as one multi-row
 * statement, before the batch's transaction commits: an effect calls {@link #add} instead
 * of writing its row itself. Outside a batch (an effect run on its own) the write is made
 * at once, as a batch of one.
 * <p>
 * Use it only for rows no later event of the same batch reads back (an append-only log,
 * say): they are written after every effect of the batch ran, unless an effect asks for
 * them {@link #writeNow first}. {@link #once} and {@link #cached} do what all of a
 * batch's events need done or read in its transaction (a lock, a setting) only once.
 */
public final class BatchWrites {

	private final Map<Function<List<Object>, Mono<Void>>, List<Object>> pending = new LinkedHashMap<>();

	private final Map<String, Mono<?>> cached = new HashMap<>();

	BatchWrites() {
	}

	/**
	 * Adds a row to the writes of the running batch.
	 * @param <T> the row type
	 * @param writer writes rows together, in the order they were added; the same instance
	 * (a field, not a new lambda per call) for rows that belong in one statement
	 * @param row the row
	 * @return completion: at once inside a batch, after the write outside one
	 */
	@SuppressWarnings("unchecked")
	public static <T> Mono<Void> add(Function<List<T>, Mono<Void>> writer, T row) {
		return Mono.deferContextual((context) -> {
			BatchWrites writes = context.getOrDefault(BatchWrites.class, null);
			if (writes == null) {
				return writer.apply(List.of(row));
			}
			writes.pending
				.computeIfAbsent((Function<List<Object>, Mono<Void>>) (Function<?, ?>) writer,
						(key) -> new ArrayList<>())
				.add(row);
			return Mono.empty();
		});
	}

	/**
	 * Runs an action once in the running batch's transaction, however many of its events
	 * ask for it (a lock they all take, say); outside a batch, every time.
	 * @param key what the action is, unique among the batch's actions
	 * @param action the action
	 * @return the action's completion, or at once when it already ran in this batch
	 */
	public static Mono<Void> once(String key, Supplier<Mono<Void>> action) {
		return cached(key, action);
	}

	/**
	 * Reads a value once in the running batch's transaction, however many of its events
	 * ask for it (what the batch's events all read and none of them changes); outside a
	 * batch, every time.
	 * @param <T> the value's type
	 * @param key what the value is, unique among the batch's values
	 * @param value reads the value
	 * @return the value, read by the first event of the batch that asked for it
	 */
	@SuppressWarnings("unchecked")
	public static <T> Mono<T> cached(String key, Supplier<Mono<T>> value) {
		return Mono.deferContextual((context) -> {
			BatchWrites writes = context.getOrDefault(BatchWrites.class, null);
			if (writes == null) {
				return value.get();
			}
			return (Mono<T>) writes.cached.computeIfAbsent(key, (name) -> value.get().cache());
		});
	}

	/**
	 * Writes the rows a writer has collected in the running batch so far, now, for an
	 * effect that is about to read them back; rows added later are written at the end of
	 * the batch, after the other writers'. Outside a batch there is nothing to write.
	 * @param <T> the row type
	 * @param writer the writer, as given to {@link #add}
	 * @return completion
	 */
	public static <T> Mono<Void> writeNow(Function<List<T>, Mono<Void>> writer) {
		return Mono.deferContextual((context) -> {
			BatchWrites writes = context.getOrDefault(BatchWrites.class, null);
			List<Object> rows = (writes != null) ? writes.pending.remove(writer) : null;
			if (rows == null || rows.isEmpty()) {
				return Mono.empty();
			}
			@SuppressWarnings("unchecked")
			List<T> typed = (List<T>) List.copyOf(rows);
			return writer.apply(typed);
		});
	}

	/**
	 * One column of rows, as the array a multi-row {@code INSERT ... SELECT FROM
	 * unnest(CAST(:column AS text[]), ...)} binds.
	 * @param <T> the row type
	 * @param rows the rows
	 * @param value the column's value of a row, as text
	 * @return the column
	 */
	public static <T> String[] column(List<T> rows, Function<T, String> value) {
		return rows.stream().map(value).toArray(String[]::new);
	}

	/**
	 * The context that makes {@link #add} collect into these writes.
	 * @return the Reactor context
	 */
	Context context() {
		return Context.of(BatchWrites.class, this);
	}

	/**
	 * Makes the collected writes, each writer once, in the order writers were first used.
	 * @return completion
	 */
	Mono<Void> flush() {
		return Flux.fromIterable(this.pending.entrySet())
			.concatMap((entry) -> entry.getKey().apply(List.copyOf(entry.getValue())))
			.then(Mono.fromRunnable(this.pending::clear));
	}

}

package dev.switchboard.support.consumer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

class BatchWritesTests {

	private final List<List<String>> letters = new ArrayList<>();

	private final List<List<Integer>> numbers = new ArrayList<>();

	private final Function<List<String>, Mono<Void>> letterWriter = (rows) -> Mono
		.fromRunnable(() -> this.letters.add(rows));

	private final Function<List<Integer>, Mono<Void>> numberWriter = (rows) -> Mono
		.fromRunnable(() -> this.numbers.add(rows));

	@Test
	void whenEffectsOfABatchAddRowsThenEachWriterWritesThemOnceInOrderAtTheFlush() {
		BatchWrites writes = new BatchWrites();

		Flux.just("a", "b", "c")
			.concatMap((row) -> BatchWrites.add(this.letterWriter, row)
				.then(BatchWrites.add(this.numberWriter, row.charAt(0) - 'a'))
				.contextWrite(writes.context()))
			.blockLast();
		assertThat(this.letters).isEmpty();
		writes.flush().block();

		assertThat(this.letters).containsExactly(List.of("a", "b", "c"));
		assertThat(this.numbers).containsExactly(List.of(0, 1, 2));
		writes.flush().block();
		assertThat(this.letters).hasSize(1);
	}

	@Test
	void whenARowIsAddedOutsideABatchThenItIsWrittenAtOnce() {
		BatchWrites.add(this.letterWriter, "alone").block();

		assertThat(this.letters).containsExactly(List.of("alone"));
	}

	@Test
	void whenEventsOfABatchAskForTheSameActionThenItRunsOnceAndOutsideABatchEveryTime() {
		List<String> ran = new ArrayList<>();
		BatchWrites writes = new BatchWrites();

		Flux.just("tenant-a", "tenant-b", "tenant-a", "tenant-b")
			.concatMap((tenant) -> BatchWrites.once("lock:" + tenant, () -> Mono.fromRunnable(() -> ran.add(tenant)))
				.contextWrite(writes.context()))
			.blockLast();
		assertThat(ran).containsExactly("tenant-a", "tenant-b");

		BatchWrites.once("lock:tenant-a", () -> Mono.fromRunnable(() -> ran.add("alone"))).block();
		BatchWrites.once("lock:tenant-a", () -> Mono.fromRunnable(() -> ran.add("alone"))).block();
		assertThat(ran).containsExactly("tenant-a", "tenant-b", "alone", "alone");
	}

	@Test
	void whenAnEffectReadsRowsBackThenTheWriterWritesWhatItHasAtOnceAndTheRestAtTheFlush() {
		BatchWrites writes = new BatchWrites();

		Flux.just("a", "b", "now", "c")
			.concatMap((row) -> (row.equals("now") ? BatchWrites.writeNow(this.letterWriter)
					: BatchWrites.add(this.letterWriter, row))
				.contextWrite(writes.context()))
			.blockLast();
		assertThat(this.letters).containsExactly(List.of("a", "b"));
		writes.flush().block();

		assertThat(this.letters).containsExactly(List.of("a", "b"), List.of("c"));
	}

	@Test
	void whenEventsOfABatchReadTheSameValueThenItIsReadOnce() {
		List<String> reads = new ArrayList<>();
		BatchWrites writes = new BatchWrites();

		List<String> values = Flux.just("x", "x", "y")
			.concatMap((key) -> BatchWrites.cached("setting:" + key, () -> Mono.fromCallable(() -> {
				reads.add(key);
				return key.toUpperCase(java.util.Locale.ROOT);
			})).contextWrite(writes.context()))
			.collectList()
			.block();

		assertThat(values).containsExactly("X", "X", "Y");
		assertThat(reads).containsExactly("x", "y");
	}

}

package dev.switchboard.support.consumer;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.micrometer.tracing.Span;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import org.apache.kafka.common.KafkaException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.messaging.Message;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.switchboard.events.EventCodec;
import dev.switchboard.events.SwitchboardEvent;
import dev.switchboard.support.outbox.OutboxRelay;

/**
 * Applies a poll's planned work exactly once per consumer, for the
 * {@link EventProcessor}: one transaction records every deduplication key in
 * {@code processed_event} with one multi-row insert and runs the fresh events' effects;
 * if it fails, the records are applied one by one, and a record that still cannot be
 * applied is parked alone. An infrastructure failure is thrown instead, so that the batch
 * is delivered again.
 */
final class BatchApplier {

	private static final Logger logger = LoggerFactory.getLogger(BatchApplier.class);

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final int ATTEMPTS = 3;

	private final DatabaseClient database;

	private final TransactionalOperator transactions;

	private final OutboxRelay relay;

	private final Clock clock;

	private final TraceContext traces;

	private final DeadLetters deadLetters;

	private final ConsumedEvents consumed;

	BatchApplier(DatabaseClient database, TransactionalOperator transactions, OutboxRelay relay, Clock clock,
			TraceContext traces, DeadLetters deadLetters, ConsumedEvents consumed) {
		this.database = database;
		this.transactions = transactions;
		this.relay = relay;
		this.clock = clock;
		this.traces = traces;
		this.deadLetters = deadLetters;
		this.consumed = consumed;
	}

	/**
	 * Plans each record of the batch and applies the work planned, after the step that
	 * prepares the batch.
	 */
	void apply(String consumer, Message<List<byte[]>> batch,
			Function<Message<byte[]>, EventProcessor.@Nullable Work> plan,
			Function<List<SwitchboardEvent>, Mono<Void>> prepare) {
		List<Planned> planned = new ArrayList<>();
		Set<String> keys = new HashSet<>();
		for (Message<byte[]> record : BatchRecords.split(batch)) {
			EventProcessor.Work work;
			try {
				work = plan.apply(record);
			}
			catch (EventCodec.MalformedEventException ex) {
				this.deadLetters.park(consumer, record, ex);
				continue;
			}
			if (work == null) {
				this.consumed.count(consumer, "ignored");
			}
			else if (!keys.add(work.key())) {
				// The same event twice in one poll (a webhook Meta sent again at once).
				logger.debug("{} skipped duplicate {}", consumer, work.key());
				this.consumed.count(consumer, "duplicate");
			}
			else {
				planned.add(new Planned(record, work,
						this.traces.start(consumer, EventProcessor.attribute(record, "traceparent"))));
			}
		}
		if (planned.isEmpty()) {
			return;
		}
		try {
			Set<String> applied = applyTogether(consumer, planned, prepare);
			finish(consumer, planned, applied::contains);
		}
		catch (RuntimeException ex) {
			logger.info("{}: a batch of {} failed ({}), applying its events one at a time", consumer, planned.size(),
					ex.toString());
			for (Planned one : planned) {
				applyAlone(consumer, one, prepare);
			}
		}
		finally {
			planned.forEach((one) -> {
				if (one.span() != null) {
					one.span().end();
				}
			});
		}
	}

	private Set<String> applyTogether(String consumer, List<Planned> planned,
			Function<List<SwitchboardEvent>, Mono<Void>> prepare) {
		String[] keys = planned.stream().map((one) -> one.work().key()).toArray(String[]::new);
		BatchWrites writes = new BatchWrites();
		Set<String> applied = this.database.sql("""
				INSERT INTO processed_event (consumer, event_id, processed_at)
				SELECT :consumer, key, :at FROM unnest(CAST(:keys AS text[])) AS key
				ON CONFLICT DO NOTHING
				RETURNING event_id""")
			.bind("consumer", consumer)
			.bind("keys", keys)
			.bind("at", OffsetDateTime.ofInstant(this.clock.instant(), ZoneOffset.UTC))
			.map((row) -> Objects.requireNonNull(row.get(0, String.class)))
			.all()
			.collect(Collectors.toSet())
			.flatMap((fresh) -> prepare
				.apply(planned.stream()
					.map(Planned::work)
					.filter((work) -> fresh.contains(work.key()) && work.event() != null)
					.map((work) -> Objects.requireNonNull(work.event()))
					.toList())
				.contextWrite(writes.context())
				.thenMany(Flux.fromIterable(planned))
				.filter((one) -> fresh.contains(one.work().key()))
				.concatMap((one) -> one.work()
					.effect()
					.get()
					.contextWrite(this.traces.context(one.span()))
					.contextWrite(writes.context()))
				.then(writes.flush())
				.then(Mono.just(fresh)))
			.as(this.transactions::transactional)
			.block(TIMEOUT);
		return (applied != null) ? applied : Set.of();
	}

	private void applyAlone(String consumer, Planned one, Function<List<SwitchboardEvent>, Mono<Void>> prepare) {
		RuntimeException failure = null;
		for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
			try {
				List<Planned> alone = List.of(one);
				finish(consumer, alone, applyTogether(consumer, alone, prepare)::contains);
				return;
			}
			catch (RuntimeException ex) {
				if (isInfrastructureFailure(ex)) {
					throw ex;
				}
				failure = ex;
				logger.debug("{} failed to apply {} (attempt {})", consumer, one.work().key(), attempt, ex);
			}
		}
		this.deadLetters.park(consumer, one.record(), Objects.requireNonNull(failure));
		this.consumed.count(consumer, "failed");
	}

	private void finish(String consumer, List<Planned> planned, Predicate<String> applied) {
		int processed = 0;
		for (Planned one : planned) {
			String key = one.work().key();
			boolean ran = applied.test(key);
			if (ran) {
				processed++;
			}
			if (logger.isDebugEnabled()) {
				this.traces.inScope(one.span(),
						() -> logger.debug((ran ? "{} applied {}" : "{} skipped duplicate {}"), consumer, key));
			}
		}
		this.consumed.count(consumer, "processed", processed);
		this.consumed.count(consumer, "duplicate", planned.size() - processed);
		if (processed > 0) {
			this.relay.signal();
		}
	}

	/**
	 * Whether a failure says the database or the broker could not be reached, rather than
	 * that this event cannot be applied: then the batch is delivered again later instead
	 * of parking its events.
	 */
	static boolean isInfrastructureFailure(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof DataAccessResourceFailureException
					|| cause instanceof R2dbcNonTransientResourceException
					|| cause instanceof R2dbcTransientResourceException || cause instanceof IOException
					|| cause instanceof TimeoutException || cause instanceof KafkaException) {
				return true;
			}
		}
		return false;
	}

	private record Planned(Message<byte[]> record, EventProcessor.Work work, @Nullable Span span) {

	}

}

package dev.switchboard.support.consumer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Span;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import org.apache.kafka.common.KafkaException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.switchboard.events.CloudEventHeaders;
import dev.switchboard.events.EventCodec;
import dev.switchboard.events.EventTypes;
import dev.switchboard.events.SwitchboardEvent;
import dev.switchboard.events.Timestamps;
import dev.switchboard.support.outbox.OutboxRelay;

/**
 * Applies events exactly once per consumer, a poll's batch at a time: each event's
 * deduplication key is recorded in {@code processed_event} in the same transaction as its
 * effect, so a redelivery finds it and changes nothing. One transaction and one multi-row
 * insert serve the whole batch, in record order; if that transaction fails, the records
 * are applied one by one, so a record that cannot be applied is parked on the dead-letter
 * topic alone while the others go through. Rows the effects add to {@link BatchWrites}
 * are written together before the commit. An infrastructure failure (database or broker
 * unreachable) is thrown, so that the listener container delivers the batch again. Counts
 * {@code switchboard.events.consumed} by outcome, times each batch ({@value #BATCH}) and
 * counts its records ({@value #BATCH_RECORDS}).
 */
public class EventProcessor {

	private static final Logger logger = LoggerFactory.getLogger(EventProcessor.class);

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final int ATTEMPTS = 3;

	/** How long a consumer took for a poll's batch, from the records to the commit. */
	public static final String BATCH = "switchboard.events.batch";

	/** How many records a poll's batch held. */
	public static final String BATCH_RECORDS = "switchboard.events.batch.records";

	private final DatabaseClient database;

	private final TransactionalOperator transactions;

	private final EventCodec codec;

	private final OutboxRelay relay;

	private final MeterRegistry meters;

	private final Clock clock;

	private final TraceContext traces;

	private final DeadLetters deadLetters;

	public EventProcessor(DatabaseClient database, TransactionalOperator transactions, EventCodec codec,
			OutboxRelay relay, MeterRegistry meters, Clock clock, TraceContext traces, DeadLetters deadLetters) {
		this.traces = traces;
		this.database = database;
		this.transactions = transactions;
		this.codec = codec;
		this.relay = relay;
		this.meters = meters;
		this.clock = clock;
		this.deadLetters = deadLetters;
	}

	/**
	 * Applies once every event of a batch whose type the consumer handles, deduplicated
	 * by {@code ce_id}; an event of any other type costs no deduplication row and is
	 * counted as {@code ignored}.
	 * @param consumer the consumer's name (one deduplication scope per consumer)
	 * @param batch the records of one poll
	 * @param handled the event types the consumer acts on
	 * @param effect the state change of one event; may append to the outbox
	 */
	public void processAll(String consumer, Message<List<byte[]>> batch, Set<Class<? extends SwitchboardEvent>> handled,
			Function<SwitchboardEvent, Mono<Void>> effect) {
		// A record its ce_type does not rule out is either of a handled type (the payload
		// is decoded as the class ce_type names) or unreadable.
		processAllIf(consumer, batch, (record) -> !ofOtherType(record, handled), (envelope) -> true,
				(envelope) -> effect.apply(envelope.event()));
	}

	/**
	 * Whether a record's {@code ce_type} names a registered event type the consumer does
	 * not handle: then it can be ignored without reading its payload. A record without a
	 * type, or of an unknown one, is read (and parked as unreadable).
	 * @param record the record
	 * @param handled the event types the consumer acts on
	 * @return whether it is of another registered type
	 */
	public static boolean ofOtherType(Message<byte[]> record, Set<Class<? extends SwitchboardEvent>> handled) {
		String type = attribute(record, CloudEventHeaders.TYPE);
		return type != null && EventTypes.forType(type)
			.map((registration) -> !handled.contains(registration.eventClass()))
			.orElse(false);
	}

	/**
	 * Applies once every event of a batch the consumer wants, deduplicated by
	 * {@code ce_id}; an event it does not want costs no deduplication row and is counted
	 * as {@code ignored}.
	 * @param consumer the consumer's name (one deduplication scope per consumer)
	 * @param batch the records of one poll
	 * @param wanted whether the consumer acts on the event (decided before the
	 * transaction)
	 * @param effect the state change, given the event with its envelope; may append to
	 * the outbox
	 */
	public void processAllIf(String consumer, Message<List<byte[]>> batch, Predicate<Envelope> wanted,
			Function<Envelope, Mono<Void>> effect) {
		processAllIf(consumer, batch, (record) -> true, wanted, effect);
	}

	/**
	 * Applies once every event of a batch the consumer wants, deduplicated by
	 * {@code ce_id}, reading only the records whose headers say they may be wanted: an
	 * event the consumer does not want costs no deduplication row, and one its headers
	 * rule out not even the decoding of its JSON; both are counted as {@code ignored}.
	 * @param consumer the consumer's name (one deduplication scope per consumer)
	 * @param batch the records of one poll
	 * @param worthReading whether a record may be wanted, from its headers alone (see
	 * {@link #attribute})
	 * @param wanted whether the consumer acts on the event (decided before the
	 * transaction)
	 * @param effect the state change, given the event with its envelope; may append to
	 * the outbox
	 */
	public void processAllIf(String consumer, Message<List<byte[]>> batch, Predicate<Message<byte[]>> worthReading,
			Predicate<Envelope> wanted, Function<Envelope, Mono<Void>> effect) {
		processAll(consumer, batch, (message) -> {
			if (!worthReading.test(message)) {
				return null;
			}
			Envelope envelope = envelope(consumer, message);
			return wanted.test(envelope) ? new Work(envelope.id(), () -> effect.apply(envelope)) : null;
		});
	}

	/**
	 * Applies once every record of a batch the consumer plans work for, deduplicated by
	 * the key the plan gives.
	 * @param consumer the consumer's name (one deduplication scope per consumer)
	 * @param batch the records of one poll
	 * @param plan what to do with one record: its deduplication key and effect, or
	 * {@code null} to ignore it; throws {@link EventCodec.MalformedEventException} for a
	 * record that cannot be read (parked on the dead-letter topic)
	 */
	public void processAll(String consumer, Message<List<byte[]>> batch,
			Function<Message<byte[]>, @Nullable Work> plan) {
		processAll(consumer, batch, plan, (events) -> Mono.empty());
	}

	/**
	 * Applies once every record of a batch the consumer plans work for, deduplicated by
	 * the key the plan gives, after a step that prepares the whole batch's work at once:
	 * it runs in the batch's transaction before the first effect, given the events of the
	 * work that will be applied (duplicates left out; work planned without an event has
	 * none) in record order, so that it can read or write what all of them need with one
	 * statement instead of one per event. It shares the batch's {@link BatchWrites}. When
	 * a batch is applied again one event at a time, it runs again for each.
	 * @param consumer the consumer's name (one deduplication scope per consumer)
	 * @param batch the records of one poll
	 * @param plan what to do with one record, as for
	 * {@link #processAll(String, Message, Function)}
	 * @param prepare the step before the effects, given the events to be applied
	 */
	public void processAll(String consumer, Message<List<byte[]>> batch, Function<Message<byte[]>, @Nullable Work> plan,
			Function<List<SwitchboardEvent>, Mono<Void>> prepare) {
		long start = System.nanoTime();
		try {
			apply(consumer, batch, plan, prepare);
		}
		finally {
			this.meters.timer(BATCH, "consumer", consumer).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
			this.meters.summary(BATCH_RECORDS, "consumer", consumer).record(batch.getPayload().size());
		}
	}

	private void apply(String consumer, Message<List<byte[]>> batch, Function<Message<byte[]>, @Nullable Work> plan,
			Function<List<SwitchboardEvent>, Mono<Void>> prepare) {
		List<Planned> planned = new ArrayList<>();
		Set<String> keys = new HashSet<>();
		for (Message<byte[]> record : BatchRecords.split(batch)) {
			Work work;
			try {
				work = plan.apply(record);
			}
			catch (EventCodec.MalformedEventException ex) {
				this.deadLetters.park(consumer, record, ex);
				continue;
			}
			if (work == null) {
				count(consumer, "ignored");
			}
			else if (!keys.add(work.key())) {
				// The same event twice in one poll (a webhook Meta sent again at once).
				logger.debug("{} skipped duplicate {}", consumer, work.key());
				count(consumer, "duplicate");
			}
			else {
				planned.add(new Planned(record, work, this.traces.start(consumer, attribute(record, "traceparent"))));
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
		count(consumer, "failed");
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
		count(consumer, "processed", processed);
		count(consumer, "duplicate", planned.size() - processed);
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

	/**
	 * Reads a CloudEvents Kafka message with its attributes, counting it as rejected when
	 * it cannot be read.
	 * @param consumer the consumer's name
	 * @param message the message
	 * @return the event and its envelope
	 * @throws EventCodec.MalformedEventException if the message is not a readable event
	 */
	public Envelope envelope(String consumer, Message<byte[]> message) {
		String id = attribute(message, CloudEventHeaders.ID);
		String time = attribute(message, CloudEventHeaders.TIME);
		SwitchboardEvent event = decode(consumer, message);
		if (id == null) {
			count(consumer, "rejected");
			throw new EventCodec.MalformedEventException("Message without ce_id on " + consumer);
		}
		Instant occurredAt;
		try {
			occurredAt = (time != null) ? Timestamps.parse(time) : this.clock.instant();
		}
		catch (DateTimeParseException ex) {
			count(consumer, "rejected");
			throw new EventCodec.MalformedEventException("ce_time is not an RFC 3339 timestamp: " + time, ex);
		}
		return new Envelope(id, occurredAt, event, message.getPayload());
	}

	/**
	 * Decodes a CloudEvents Kafka message, counting it as rejected when it cannot be
	 * read.
	 * @param consumer the consumer's name
	 * @param message the message
	 * @return the event
	 * @throws EventCodec.MalformedEventException if the message is not a readable event
	 */
	public SwitchboardEvent decode(String consumer, Message<byte[]> message) {
		String type = attribute(message, CloudEventHeaders.TYPE);
		try {
			if (type == null) {
				throw new EventCodec.MalformedEventException("Message without ce_type on " + consumer);
			}
			return this.codec.decode(type, message.getPayload());
		}
		catch (EventCodec.MalformedEventException ex) {
			count(consumer, "rejected");
			throw ex;
		}
	}

	/**
	 * An event with the CloudEvents attributes a consumer may need.
	 *
	 * @param id the {@code ce_id}
	 * @param time the {@code ce_time}
	 * @param event the event
	 * @param payload the JSON as it travelled
	 */
	public record Envelope(String id, Instant time, SwitchboardEvent event, byte[] payload) {

	}

	/**
	 * What a consumer does with one record.
	 *
	 * @param key the deduplication key (the {@code ce_id}, a {@code wamid}, ...)
	 * @param event the event, for a step that prepares the batch; may be {@code null}
	 * @param effect the state change, run in the transaction; may append to the outbox
	 */
	public record Work(String key, @Nullable SwitchboardEvent event, Supplier<Mono<Void>> effect) {

		/**
		 * Work no preparing step needs to see.
		 * @param key the deduplication key
		 * @param effect the state change
		 */
		public Work(String key, Supplier<Mono<Void>> effect) {
			this(key, null, effect);
		}

	}

	private record Planned(Message<byte[]> record, Work work, @Nullable Span span) {

	}

	private void count(String consumer, String outcome) {
		count(consumer, outcome, 1);
	}

	private void count(String consumer, String outcome, int events) {
		if (events > 0) {
			this.meters.counter("switchboard.events.consumed", "consumer", consumer, "outcome", outcome)
				.increment(events);
		}
	}

	/**
	 * Reads a header of a record, such as a CloudEvents attribute. Spring Cloud Function
	 * canonicalises the Kafka binding's {@code ce_} prefix to {@code ce-} before the
	 * consumer runs, so both are accepted.
	 * @param record the record
	 * @param name the header ({@code ce_type}, ...)
	 * @return its value as text, null when absent
	 */
	public static @Nullable String attribute(Message<?> record, String name) {
		MessageHeaders headers = record.getHeaders();
		Object value = headers.get(name);
		if (value == null && name.startsWith("ce_")) {
			value = headers.get("ce-" + name.substring(3));
		}
		if (value instanceof byte[] bytes) {
			return new String(bytes, StandardCharsets.UTF_8);
		}
		return (value != null) ? value.toString() : null;
	}

}

package dev.switchboard.support.consumer;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
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

	/** How long a consumer took for a poll's batch, from the records to the commit. */
	public static final String BATCH = "switchboard.events.batch";

	/** How many records a poll's batch held. */
	public static final String BATCH_RECORDS = "switchboard.events.batch.records";

	private final EventCodec codec;

	private final MeterRegistry meters;

	private final Clock clock;

	private final ConsumedEvents consumed;

	private final BatchApplier batches;

	public EventProcessor(DatabaseClient database, TransactionalOperator transactions, EventCodec codec,
			OutboxRelay relay, MeterRegistry meters, Clock clock, TraceContext traces, DeadLetters deadLetters) {
		this.codec = codec;
		this.meters = meters;
		this.clock = clock;
		this.consumed = new ConsumedEvents(meters);
		this.batches = new BatchApplier(database, transactions, relay, clock, traces, deadLetters, this.consumed);
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
			this.batches.apply(consumer, batch, plan, prepare);
		}
		finally {
			this.meters.timer(BATCH, "consumer", consumer).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
			this.meters.summary(BATCH_RECORDS, "consumer", consumer).record(batch.getPayload().size());
		}
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
			this.consumed.count(consumer, "rejected");
			throw new EventCodec.MalformedEventException("Message without ce_id on " + consumer);
		}
		Instant occurredAt;
		try {
			occurredAt = (time != null) ? Timestamps.parse(time) : this.clock.instant();
		}
		catch (DateTimeParseException ex) {
			this.consumed.count(consumer, "rejected");
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
			this.consumed.count(consumer, "rejected");
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

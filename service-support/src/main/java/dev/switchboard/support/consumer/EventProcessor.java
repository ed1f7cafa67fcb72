package dev.switchboard.support.consumer;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
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
import dev.switchboard.events.SwitchboardEvent;
import dev.switchboard.support.outbox.OutboxRelay;

/**
 * Applies an event exactly once per consumer: the event's id is recorded in
 * {@code processed_event} in the same transaction as the effect, so a redelivery finds it
 * and changes nothing. Counts {@code switchboard.events.consumed} by outcome.
 */
public class EventProcessor {

	private static final Logger logger = LoggerFactory.getLogger(EventProcessor.class);

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final DatabaseClient database;

	private final TransactionalOperator transactions;

	private final EventCodec codec;

	private final OutboxRelay relay;

	private final MeterRegistry meters;

	private final Clock clock;

	private final TraceContext traces;

	public EventProcessor(DatabaseClient database, TransactionalOperator transactions, EventCodec codec,
			OutboxRelay relay, MeterRegistry meters, Clock clock, TraceContext traces) {
		this.traces = traces;
		this.database = database;
		this.transactions = transactions;
		this.codec = codec;
		this.relay = relay;
		this.meters = meters;
		this.clock = clock;
	}

	/**
	 * Decodes a CloudEvents Kafka message and applies it once.
	 * @param consumer the consumer's name (one deduplication scope per consumer)
	 * @param message the message, its {@code ce_id} the deduplication key
	 * @param effect the state change, run in the transaction; may append to the outbox
	 * @throws EventCodec.MalformedEventException if the message is not a readable event
	 */
	public void process(String consumer, Message<byte[]> message, Function<SwitchboardEvent, Mono<Void>> effect) {
		Envelope envelope = envelope(consumer, message);
		process(consumer, envelope.id(), () -> effect.apply(envelope.event()));
	}

	/**
	 * Decodes a CloudEvents Kafka message and applies it once if the consumer handles its
	 * type; an event of any other type costs no transaction and no deduplication row, and
	 * is counted as {@code ignored}.
	 * @param consumer the consumer's name (one deduplication scope per consumer)
	 * @param message the message, its {@code ce_id} the deduplication key
	 * @param handled the event types the consumer acts on
	 * @param effect the state change, run in the transaction; may append to the outbox
	 * @throws EventCodec.MalformedEventException if the message is not a readable event
	 */
	public void process(String consumer, Message<byte[]> message, Set<Class<? extends SwitchboardEvent>> handled,
			Function<SwitchboardEvent, Mono<Void>> effect) {
		processIf(consumer, message, (envelope) -> handled.contains(envelope.event().getClass()),
				(envelope) -> effect.apply(envelope.event()));
	}

	/**
	 * Decodes a CloudEvents Kafka message and applies it once if the consumer wants it;
	 * an event it does not want costs no transaction and no deduplication row, and is
	 * counted as {@code ignored}.
	 * @param consumer the consumer's name (one deduplication scope per consumer)
	 * @param message the message, its {@code ce_id} the deduplication key
	 * @param wanted whether the consumer acts on the event (decided before any
	 * transaction)
	 * @param effect the state change, given the event with its envelope, run in the
	 * transaction; may append to the outbox
	 * @throws EventCodec.MalformedEventException if the message is not a readable event
	 */
	public void processIf(String consumer, Message<byte[]> message, Predicate<Envelope> wanted,
			Function<Envelope, Mono<Void>> effect) {
		Envelope envelope = envelope(consumer, message);
		if (!wanted.test(envelope)) {
			ignored(consumer);
			return;
		}
		process(consumer, envelope.id(), () -> effect.apply(envelope));
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
		String id = header(message.getHeaders(), CloudEventHeaders.ID);
		String time = header(message.getHeaders(), CloudEventHeaders.TIME);
		SwitchboardEvent event = decode(consumer, message);
		if (id == null) {
			count(consumer, "rejected");
			throw new EventCodec.MalformedEventException("Message without ce_id on " + consumer);
		}
		Instant occurredAt;
		try {
			occurredAt = (time != null) ? Instant.parse(time) : this.clock.instant();
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
		String type = header(message.getHeaders(), CloudEventHeaders.TYPE);
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
	 * Applies an effect once for a deduplication key.
	 * @param consumer the consumer's name
	 * @param key the deduplication key (an event id, a {@code wamid}, ...)
	 * @param effect the state change, run in the transaction
	 * @return whether the effect ran (false for a duplicate)
	 */
	public boolean process(String consumer, String key, Supplier<Mono<Void>> effect) {
		Boolean applied = this.database.sql("""
				INSERT INTO processed_event (consumer, event_id, processed_at) VALUES (:consumer, :key, :at)
				ON CONFLICT DO NOTHING""")
			.bind("consumer", consumer)
			.bind("key", key)
			.bind("at", OffsetDateTime.ofInstant(this.clock.instant(), ZoneOffset.UTC))
			.fetch()
			.rowsUpdated()
			.flatMap((inserted) -> (inserted == 0) ? Mono.just(false) : effect.get().thenReturn(true))
			.as(this.transactions::transactional)
			.contextWrite(this.traces.capture())
			.block(TIMEOUT);
		boolean ran = Boolean.TRUE.equals(applied);
		if (ran) {
			logger.debug("{} applied {}", consumer, key);
			count(consumer, "processed");
			this.relay.signal();
		}
		else {
			logger.debug("{} skipped duplicate {}", consumer, key);
			count(consumer, "duplicate");
		}
		return ran;
	}

	/**
	 * Counts an event the consumer read and had nothing to do for (outcome
	 * {@code ignored}).
	 * @param consumer the consumer's name
	 */
	private void ignored(String consumer) {
		count(consumer, "ignored");
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

	private void count(String consumer, String outcome) {
		this.meters.counter("switchboard.events.consumed", "consumer", consumer, "outcome", outcome).increment();
	}

	/**
	 * Reads a CloudEvents attribute header. Spring Cloud Function canonicalises the Kafka
	 * binding's {@code ce_} prefix to {@code ce-} before the consumer runs, so both are
	 * accepted.
	 */
	private static @Nullable String header(MessageHeaders headers, String name) {
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

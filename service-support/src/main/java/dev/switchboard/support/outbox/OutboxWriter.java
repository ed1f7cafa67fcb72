package dev.switchboard.support.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

import dev.switchboard.events.TimeOrderedIds;
import dev.switchboard.events.EventCodec;
import dev.switchboard.events.EventTypes;
import dev.switchboard.events.SwitchboardEvent;
import dev.switchboard.support.consumer.BatchWrites;
import dev.switchboard.support.consumer.TraceContext;

/**
 * Appends events to the outbox table. Call it inside the transaction that changes the
 * state the event describes: the event is published if and only if that transaction
 * commits.
 */
public class OutboxWriter {

	private final DatabaseClient database;

	private final EventCodec codec;

	private final Clock clock;

	private final Function<List<Row>, Mono<Void>> writer = this::insert;

	public OutboxWriter(DatabaseClient database, EventCodec codec, Clock clock) {
		this.database = database;
		this.codec = codec;
		this.clock = clock;
	}

	/**
	 * Appends an event: inside a consumer's batch together with the batch's other events
	 * ({@link BatchWrites}, one statement before the commit), elsewhere at once.
	 * @param event the event
	 * @return completion
	 */
	public Mono<Void> append(SwitchboardEvent event) {
		EventTypes.Registration registration = EventTypes.of(event);
		return Mono.deferContextual((context) -> BatchWrites.add(this.writer, new Row(
				TimeOrderedIds.next(this.clock).toString(), registration.topic(), event.partitionKey(),
				registration.type(), event.tenantId(), new String(this.codec.encode(event), StandardCharsets.UTF_8),
				Objects.requireNonNullElse(TraceContext.traceparent(context), ""), this.clock.instant().toString())));
	}

	/** Inserts rows in their order, so that the relay publishes them in that order. */
	private Mono<Void> insert(List<Row> rows) {
		return this.database.sql("""
				INSERT INTO outbox (event_id, topic, message_key, event_type, tenant_id, payload, traceparent,
				                    created_at)
				SELECT CAST(e AS uuid), t, k, y, n, convert_to(p, 'UTF8'), NULLIF(tp, ''), CAST(c AS timestamptz)
				FROM unnest(CAST(:eventIds AS text[]), CAST(:topics AS text[]), CAST(:keys AS text[]),
				            CAST(:types AS text[]), CAST(:tenants AS text[]), CAST(:payloads AS text[]),
				            CAST(:traceparents AS text[]), CAST(:createdAt AS text[]))
				     WITH ORDINALITY AS x(e, t, k, y, n, p, tp, c, position)
				ORDER BY position""")
			.bind("eventIds", BatchWrites.column(rows, Row::eventId))
			.bind("topics", BatchWrites.column(rows, Row::topic))
			.bind("keys", BatchWrites.column(rows, Row::key))
			.bind("types", BatchWrites.column(rows, Row::type))
			.bind("tenants", BatchWrites.column(rows, Row::tenantId))
			.bind("payloads", BatchWrites.column(rows, Row::payload))
			.bind("traceparents", BatchWrites.column(rows, Row::traceparent))
			.bind("createdAt", BatchWrites.column(rows, Row::createdAt))
			.then();
	}

	/** An outbox row as text, empty for none. */
	private record Row(String eventId, String topic, String key, String type, String tenantId, String payload,
			String traceparent, String createdAt) {

	}

}

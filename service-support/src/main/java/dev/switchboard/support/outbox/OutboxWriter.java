package dev.switchboard.support.outbox;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import reactor.core.publisher.Mono;

import dev.switchboard.events.EventCodec;
import dev.switchboard.events.EventTypes;
import dev.switchboard.events.SwitchboardEvent;
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

	public OutboxWriter(DatabaseClient database, EventCodec codec, Clock clock) {
		this.database = database;
		this.codec = codec;
		this.clock = clock;
	}

	public Mono<Void> append(SwitchboardEvent event) {
		EventTypes.Registration registration = EventTypes.of(event);
		return Mono.deferContextual((context) -> this.database.sql("""
				INSERT INTO outbox (event_id, topic, message_key, event_type, tenant_id, payload, traceparent,
				                    created_at)
				VALUES (:eventId, :topic, :key, :type, :tenant, :payload, :traceparent, :createdAt)""")
			.bind("eventId", UUID.randomUUID())
			.bind("topic", registration.topic())
			.bind("key", event.partitionKey())
			.bind("type", registration.type())
			.bind("tenant", event.tenantId())
			.bind("payload", this.codec.encode(event))
			.bind("traceparent", Parameter.fromOrEmpty(TraceContext.traceparent(context), String.class))
			.bind("createdAt", OffsetDateTime.ofInstant(this.clock.instant(), ZoneOffset.UTC))
			.then());
	}

}

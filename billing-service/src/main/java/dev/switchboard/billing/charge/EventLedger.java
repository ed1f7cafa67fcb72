package dev.switchboard.billing.charge;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import dev.switchboard.events.EventTypes;
import dev.switchboard.events.SwitchboardEvent;
import dev.switchboard.support.consumer.BatchWrites;
import dev.switchboard.support.consumer.EventProcessor;

/**
 * The billing ledger: every event billing acts on, as it travelled, in the order it was
 * applied, which {@link LedgerReplay} recomputes charges from. A consumer batch's entries
 * are written together just before its commit ({@link BatchWrites}).
 */
@Component
class EventLedger {

	private final DatabaseClient database;

	private final Clock clock;

	private final Function<List<Entry>, Mono<Void>> writer = this::insert;

	EventLedger(DatabaseClient database, Clock clock) {
		this.database = database;
		this.clock = clock;
	}

	/**
	 * Appends an event to the ledger, once per {@code ce_id}.
	 * @param envelope the event as it travelled
	 * @param occurredAt when what it describes happened
	 * @return completion
	 */
	Mono<Void> append(EventProcessor.Envelope envelope, Instant occurredAt) {
		SwitchboardEvent event = envelope.event();
		return BatchWrites.add(this.writer,
				new Entry(envelope.id(), event.tenantId(), Objects.requireNonNullElse(event.conversationId(), ""),
						EventTypes.of(event).type(), occurredAt.toString(),
						new String(envelope.payload(), StandardCharsets.UTF_8), this.clock.instant().toString()));
	}

	private Mono<Void> insert(List<Entry> entries) {
		return this.database.sql("""
				INSERT INTO billing_event (event_id, tenant_id, conversation_id, event_type, occurred_at, payload,
				                           recorded_at)
				SELECT i, t, NULLIF(c, ''), y, CAST(o AS timestamptz), convert_to(p, 'UTF8'), CAST(r AS timestamptz)
				FROM unnest(CAST(:ids AS text[]), CAST(:tenants AS text[]), CAST(:conversations AS text[]),
				            CAST(:types AS text[]), CAST(:occurred AS text[]), CAST(:payloads AS text[]),
				            CAST(:recorded AS text[]))
				     WITH ORDINALITY AS x(i, t, c, y, o, p, r, position)
				ORDER BY position
				ON CONFLICT (event_id) DO NOTHING""")
			.bind("ids", BatchWrites.column(entries, Entry::eventId))
			.bind("tenants", BatchWrites.column(entries, Entry::tenantId))
			.bind("conversations", BatchWrites.column(entries, Entry::conversationId))
			.bind("types", BatchWrites.column(entries, Entry::type))
			.bind("occurred", BatchWrites.column(entries, Entry::occurredAt))
			.bind("payloads", BatchWrites.column(entries, Entry::payload))
			.bind("recorded", BatchWrites.column(entries, Entry::recordedAt))
			.then();
	}

	/** A ledger row as text, empty for none. */
	private record Entry(String eventId, String tenantId, String conversationId, String type, String occurredAt,
			String payload, String recordedAt) {

	}

}

package dev.switchboard.routing.window;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

import dev.switchboard.events.MessageReceived;
import dev.switchboard.events.SwitchboardEvent;
import dev.switchboard.events.WindowExtended;
import dev.switchboard.events.WindowOpened;
import dev.switchboard.support.consumer.BatchWrites;
import dev.switchboard.support.outbox.OutboxWriter;

/** Opens and extends conversation windows from customer messages. */
@Service
public class ConversationWindows {

	private final DatabaseClient database;

	private final OutboxWriter outbox;

	private final WindowProperties properties;

	private final Clock clock;

	private final Function<List<Row>, Mono<Void>> writer = this::write;

	ConversationWindows(DatabaseClient database, OutboxWriter outbox, WindowProperties properties, Clock clock) {
		this.database = database;
		this.outbox = outbox;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * A new batch's windows.
	 * @return the windows of no conversation yet
	 */
	public BatchWindows batch() {
		return new BatchWindows();
	}

	/**
	 * Reads and locks the windows of the conversations the messages with these keys
	 * belong to, in one statement, before the batch applies them.
	 * @param batch the batch's windows
	 * @param events the events to be applied (others than messages are ignored)
	 * @return completion
	 */
	public Mono<Void> load(BatchWindows batch, List<SwitchboardEvent> events) {
		batch.clear();
		Set<UUID> conversations = BatchWindows.conversations(events);
		if (conversations.isEmpty()) {
			return Mono.empty();
		}
		return this.database.sql("""
				SELECT conversation_id, tenant_id, opened_at, last_customer_message_at, expires_at
				FROM conversation_window WHERE conversation_id = ANY (CAST(:ids AS uuid[]))
				ORDER BY conversation_id FOR UPDATE""")
			.bind("ids", conversations.stream().map(UUID::toString).toArray(String[]::new))
			.map((row) -> new BatchWindows.Window(Objects.requireNonNull(row.get("conversation_id", UUID.class)),
					Objects.requireNonNull(row.get("tenant_id", String.class)), instant(row, "opened_at"),
					instant(row, "last_customer_message_at"), instant(row, "expires_at")))
			.all()
			.doOnNext(batch::put)
			.then();
	}

	/**
	 * Opens the window, or extends it to 24 hours after the message's WhatsApp timestamp.
	 * Messages may arrive out of order: the window only ever moves forward. Emits
	 * {@link WindowOpened} when the message opened a window that was closed or never
	 * open, {@link WindowExtended} when it moved the expiry later. The window is written
	 * with the batch's others before the commit.
	 * @param received the customer's message
	 * @param batch the batch's windows, {@link #load loaded} for this message
	 * @return completion
	 */
	public Mono<Void> customerWrote(MessageReceived received, BatchWindows batch) {
		Instant sentAt = received.sentAt();
		Instant expiresAt = sentAt.plus(this.properties.length());
		UUID conversationId = UUID.fromString(received.conversationId());
		BatchWindows.Window previous = batch.get(conversationId);
		BatchWindows.Window window = (previous != null)
				? new BatchWindows.Window(conversationId, previous.tenantId(),
						previous.expiresAt().isAfter(sentAt) ? previous.openedAt() : sentAt,
						max(previous.lastCustomerAt(), sentAt), max(previous.expiresAt(), expiresAt))
				: new BatchWindows.Window(conversationId, received.tenantId(), sentAt, sentAt, expiresAt);
		batch.put(window);
		Mono<Void> written = BatchWrites.add(this.writer, new Row(window, this.clock.instant()));
		if (previous == null || !previous.expiresAt().isAfter(sentAt)) {
			return written.then(this.outbox.append(new WindowOpened(received.tenantId(), received.conversationId(),
					window.openedAt(), window.expiresAt())));
		}
		if (window.expiresAt().isAfter(previous.expiresAt())) {
			return written.then(this.outbox.append(new WindowExtended(received.tenantId(), received.conversationId(),
					window.openedAt(), window.expiresAt())));
		}
		return written;
	}

	/**
	 * Writes a batch's windows, each conversation's as the batch's last message left it
	 * (a statement may change a row only once); the due time of "closing soon" follows
	 * the expiry.
	 */
	private Mono<Void> write(List<Row> rows) {
		Map<UUID, Row> last = new TreeMap<>();
		rows.forEach((row) -> last.put(row.window().conversationId(), row));
		List<Row> merged = List.copyOf(last.values());
		return this.database
			.sql("""
					INSERT INTO conversation_window
					    (conversation_id, tenant_id, opened_at, last_customer_message_at, expires_at, closing_due_at, updated_at)
					SELECT CAST(c AS uuid), t, CAST(o AS timestamptz), CAST(l AS timestamptz), CAST(e AS timestamptz),
					       CAST(d AS timestamptz), CAST(u AS timestamptz)
					FROM unnest(CAST(:ids AS text[]), CAST(:tenants AS text[]), CAST(:opened AS text[]),
					            CAST(:last AS text[]), CAST(:expires AS text[]), CAST(:closing AS text[]),
					            CAST(:updated AS text[])) AS r(c, t, o, l, e, d, u)
					ON CONFLICT (conversation_id) DO UPDATE SET
					    opened_at = EXCLUDED.opened_at, last_customer_message_at = EXCLUDED.last_customer_message_at,
					    expires_at = EXCLUDED.expires_at, closing_due_at = EXCLUDED.closing_due_at,
					    updated_at = EXCLUDED.updated_at""")
			.bind("ids", BatchWrites.column(merged, (row) -> row.window().conversationId().toString()))
			.bind("tenants", BatchWrites.column(merged, (row) -> row.window().tenantId()))
			.bind("opened", BatchWrites.column(merged, (row) -> row.window().openedAt().toString()))
			.bind("last", BatchWrites.column(merged, (row) -> row.window().lastCustomerAt().toString()))
			.bind("expires", BatchWrites.column(merged, (row) -> row.window().expiresAt().toString()))
			.bind("closing",
					BatchWrites.column(merged,
							(row) -> row.window().expiresAt().minus(this.properties.closingThreshold()).toString()))
			.bind("updated", BatchWrites.column(merged, (row) -> row.updatedAt().toString()))
			.then();
	}

	private static Instant max(Instant a, Instant b) {
		return a.isAfter(b) ? a : b;
	}

	private record Row(BatchWindows.Window window, Instant updatedAt) {

	}

	Mono<WindowView> find(String tenantId, UUID conversationId) {
		Instant now = this.clock.instant();
		return this.database.sql("""
				SELECT conversation_id, opened_at, last_customer_message_at, expires_at
				FROM conversation_window WHERE conversation_id = :id AND tenant_id = :tenant""")
			.bind("id", conversationId)
			.bind("tenant", tenantId)
			.map((row) -> {
				Instant expiresAt = instant(row, "expires_at");
				return new WindowView(conversationId.toString(),
						WindowState.at(now, expiresAt, this.properties.closingThreshold()), instant(row, "opened_at"),
						instant(row, "last_customer_message_at"), expiresAt);
			})
			.one();
	}

	private static OffsetDateTime utc(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

	private static Instant instant(Readable row, String column) {
		OffsetDateTime value = row.get(column, OffsetDateTime.class);
		if (value == null) {
			throw new IllegalStateException(column + " is never null");
		}
		return value.toInstant();
	}

}

package dev.switchboard.routing.window;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

import dev.switchboard.events.MessageReceived;
import dev.switchboard.events.WindowExtended;
import dev.switchboard.events.WindowOpened;
import dev.switchboard.support.outbox.OutboxWriter;

/** Opens and extends conversation windows from customer messages. */
@Service
public class ConversationWindows {

	private final DatabaseClient database;

	private final OutboxWriter outbox;

	private final WindowProperties properties;

	private final Clock clock;

	ConversationWindows(DatabaseClient database, OutboxWriter outbox, WindowProperties properties, Clock clock) {
		this.database = database;
		this.outbox = outbox;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * Opens the window, or extends it to 24 hours after the message's WhatsApp timestamp.
	 * Messages may arrive out of order: the window only ever moves forward. Emits
	 * {@link WindowOpened} when the message opened a window that was closed or never
	 * open.
	 * @param received the customer's message
	 * @return completion
	 */
	public Mono<Void> customerWrote(MessageReceived received) {
		Instant sentAt = received.sentAt();
		Instant expiresAt = sentAt.plus(this.properties.length());
		UUID conversationId = UUID.fromString(received.conversationId());
		Mono<Optional<Instant>> previousExpiry = this.database
			.sql("SELECT expires_at FROM conversation_window WHERE conversation_id = :id FOR UPDATE")
			.bind("id", conversationId)
			.map((row) -> Optional.of(instant(row, "expires_at")))
			.one()
			.defaultIfEmpty(Optional.empty());
		return previousExpiry.flatMap((previous) -> this.database
			.sql("""
					INSERT INTO conversation_window
					    (conversation_id, tenant_id, opened_at, last_customer_message_at, expires_at, closing_due_at, updated_at)
					VALUES (:id, :tenant, :sentAt, :sentAt, :expiresAt, :closingDueAt, :now)
					ON CONFLICT (conversation_id) DO UPDATE SET
					    opened_at = CASE WHEN conversation_window.expires_at <= EXCLUDED.last_customer_message_at
					                     THEN EXCLUDED.opened_at ELSE conversation_window.opened_at END,
					    last_customer_message_at = GREATEST(conversation_window.last_customer_message_at,
					                                        EXCLUDED.last_customer_message_at),
					    expires_at = GREATEST(conversation_window.expires_at, EXCLUDED.expires_at),
					    closing_due_at = GREATEST(conversation_window.expires_at, EXCLUDED.expires_at)
					                     - (EXCLUDED.expires_at - EXCLUDED.closing_due_at),
					    updated_at = EXCLUDED.updated_at
					RETURNING opened_at, expires_at""")
			.bind("id", conversationId)
			.bind("tenant", received.tenantId())
			.bind("sentAt", utc(sentAt))
			.bind("expiresAt", utc(expiresAt))
			.bind("closingDueAt", utc(expiresAt.minus(this.properties.closingThreshold())))
			.bind("now", utc(this.clock.instant()))
			.map((row) -> new WindowOpened(received.tenantId(), received.conversationId(), instant(row, "opened_at"),
					instant(row, "expires_at")))
			.one()
			.flatMap((window) -> {
				boolean opened = previous.map((expiry) -> !expiry.isAfter(sentAt)).orElse(true);
				if (opened) {
					return this.outbox.append(window);
				}
				boolean extended = previous.map((expiry) -> window.expiresAt().isAfter(expiry)).orElse(false);
				return extended ? this.outbox.append(new WindowExtended(window.tenantId(), window.conversationId(),
						window.openedAt(), window.expiresAt())) : Mono.empty();
			}));
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

package dev.switchboard.inbox.ingest;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import dev.switchboard.events.TimeOrderedIds;
import dev.switchboard.events.MessageReceived;
import dev.switchboard.events.SwitchboardEvent;
import dev.switchboard.events.WhatsAppMessageReceived;
import dev.switchboard.events.WhatsAppStatusReceived;
import dev.switchboard.events.WhatsAppTemplateUpdated;
import dev.switchboard.inbox.template.TemplateUpdates;
import dev.switchboard.inbox.outbound.Statuses;
import io.micrometer.core.instrument.MeterRegistry;
import dev.switchboard.support.consumer.BatchWrites;
import dev.switchboard.support.consumer.EventProcessor;
import dev.switchboard.support.outbox.OutboxWriter;

/**
 * Stores the WhatsApp messages the gateway verified, applies their statuses and Meta's
 * template updates. Deduplicates by {@code wamid} (a template update by its content):
 * Meta retries webhooks for days, and a replay must change nothing.
 */
@Configuration(proxyBeanMethods = false)
class WhatsAppIngestion {

	static final String CONSUMER = "inbox.ingest-whatsapp";

	private static final Logger logger = LoggerFactory.getLogger(WhatsAppIngestion.class);

	private final DatabaseClient database;

	private final OutboxWriter outbox;

	private final EventProcessor processor;

	private final JsonMapper json;

	private final Clock clock;

	private final Statuses statuses;

	private final MeterRegistry meters;

	private final TemplateUpdates templates;

	private final Function<List<ConversationRow>, Mono<Void>> conversationWriter = this::writeConversations;

	private final Function<List<MessageRow>, Mono<Void>> messageWriter = this::writeMessages;

	WhatsAppIngestion(DatabaseClient database, OutboxWriter outbox, EventProcessor processor, JsonMapper json,
			Clock clock, Statuses statuses, MeterRegistry meters, TemplateUpdates templates) {
		this.templates = templates;
		this.statuses = statuses;
		this.meters = meters;
		this.database = database;
		this.outbox = outbox;
		this.processor = processor;
		this.json = json;
		this.clock = clock;
	}

	@Bean
	Consumer<Message<List<byte[]>>> ingestWhatsApp() {
		return (batch) -> {
			BatchContacts contacts = new BatchContacts();
			this.processor.processAll(CONSUMER, batch, (message) -> switch (this.processor.decode(CONSUMER, message)) {
				case WhatsAppMessageReceived received -> new EventProcessor.Work(
						received.tenantId() + ":" + received.wamid(), received, () -> store(received, contacts));
				case WhatsAppStatusReceived status ->
					new EventProcessor.Work(status.tenantId() + ":" + status.wamid() + ":" + status.status(),
							() -> this.statuses.record(status));
				case WhatsAppTemplateUpdated template ->
					new EventProcessor.Work(TemplateUpdates.key(template), () -> this.templates.apply(template));
				case SwitchboardEvent other -> {
					logger.warn("{} ignores {}", CONSUMER, other.getClass().getSimpleName());
					yield null;
				}
			}, (events) -> contacts.resolve(this.database, events, now()));
		};
	}

	/**
	 * Stores one new message: its conversation and the message itself are written with
	 * the batch's other messages (one statement each), its contact was resolved with the
	 * batch's other contacts; {@link MessageReceived} goes to the outbox.
	 */
	private Mono<Void> store(WhatsAppMessageReceived received, BatchContacts contacts) {
		InboundMessage parsed = InboundMessage.parse(this.json, received.type(), received.message());
		this.meters.counter("switchboard.inbox.messages.in", "type", parsed.type()).increment();
		OffsetDateTime now = now();
		BatchContacts.Contact contact = contacts.of(received);
		UUID messageId = TimeOrderedIds.next(this.clock);
		return BatchWrites
			.add(this.conversationWriter,
					new ConversationRow(UUID.fromString(received.conversationId()), received.tenantId(), contact.id(),
							received.phoneNumberId(), parsed.body(), received.timestamp(), now))
			.then(BatchWrites.add(this.messageWriter, new MessageRow(messageId, received, parsed, now)))
			.then(this.outbox.append(new MessageReceived(received.tenantId(), received.conversationId(),
					messageId.toString(), contact.id().toString(), received.waId(), received.wamid(), parsed.type(),
					received.timestamp(), parsed.body(), contact.labels())));
	}

	private OffsetDateTime now() {
		return OffsetDateTime.ofInstant(this.clock.instant(), ZoneOffset.UTC);
	}

	/**
	 * Opens or updates the batch's conversations, one row each: a conversation that
	 * received several messages counts them all as unread and shows the latest (by
	 * WhatsApp timestamp, the later one of equal timestamps), as one message after the
	 * other would.
	 */
	private Mono<Void> writeConversations(List<ConversationRow> rows) {
		Map<UUID, ConversationRow> latest = new TreeMap<>();
		Map<UUID, Integer> counts = new HashMap<>();
		for (ConversationRow row : rows) {
			latest.merge(row.id(), row, (before, after) -> after.sentAt().isBefore(before.sentAt()) ? before : after);
			counts.merge(row.id(), 1, Integer::sum);
		}
		List<ConversationRow> merged = List.copyOf(latest.values());
		return this.database.sql("""
				INSERT INTO conversation (id, tenant_id, contact_id, status, unread_count, last_message_at, created_at,
				                          phone_number_id, last_message_text)
				SELECT CAST(i AS uuid), t, CAST(c AS uuid), 'OPEN', CAST(u AS int), CAST(a AS timestamptz),
				       CAST(n AS timestamptz), p, x
				FROM unnest(CAST(:ids AS text[]), CAST(:tenants AS text[]), CAST(:contacts AS text[]),
				            CAST(:unread AS text[]), CAST(:sentAt AS text[]), CAST(:now AS text[]),
				            CAST(:phones AS text[]), CAST(:texts AS text[])) AS r(i, t, c, u, a, n, p, x)
				ON CONFLICT (id) DO UPDATE SET
				    unread_count = conversation.unread_count + EXCLUDED.unread_count,
				    last_message_text = CASE WHEN EXCLUDED.last_message_at >= conversation.last_message_at
				                             THEN EXCLUDED.last_message_text ELSE conversation.last_message_text END,
				    last_message_at = GREATEST(conversation.last_message_at, EXCLUDED.last_message_at),
				    phone_number_id = EXCLUDED.phone_number_id,
				    status = CASE WHEN conversation.status = 'RESOLVED' THEN 'OPEN' ELSE conversation.status END""")
			.bind("ids", BatchWrites.column(merged, (row) -> row.id().toString()))
			.bind("tenants", BatchWrites.column(merged, ConversationRow::tenantId))
			.bind("contacts", BatchWrites.column(merged, (row) -> row.contactId().toString()))
			.bind("unread", BatchWrites.column(merged, (row) -> counts.get(row.id()).toString()))
			.bind("sentAt", BatchWrites.column(merged, (row) -> row.sentAt().toString()))
			.bind("now", BatchWrites.column(merged, (row) -> row.now().toString()))
			.bind("phones", BatchWrites.column(merged, ConversationRow::phoneNumberId))
			.bind("texts", BatchWrites.column(merged, ConversationRow::text))
			.then();
	}

	private Mono<Void> writeMessages(List<MessageRow> rows) {
		return this.database.sql("""
				INSERT INTO message (id, tenant_id, conversation_id, direction, wamid, type, original_type, body,
				                     media_id, mime_type, content, whatsapp_timestamp, created_at)
				SELECT CAST(i AS uuid), t, CAST(c AS uuid), 'INBOUND', w, y, o, b, m, mt, CAST(j AS jsonb),
				       CAST(s AS timestamptz), CAST(n AS timestamptz)
				FROM unnest(CAST(:ids AS text[]), CAST(:tenants AS text[]), CAST(:conversations AS text[]),
				            CAST(:wamids AS text[]), CAST(:types AS text[]), CAST(:originalTypes AS text[]),
				            CAST(:bodies AS text[]), CAST(:mediaIds AS text[]), CAST(:mimeTypes AS text[]),
				            CAST(:contents AS text[]), CAST(:sentAt AS text[]), CAST(:now AS text[]))
				     AS r(i, t, c, w, y, o, b, m, mt, j, s, n)""")
			.bind("ids", BatchWrites.column(rows, (row) -> row.id().toString()))
			.bind("tenants", BatchWrites.column(rows, (row) -> row.received().tenantId()))
			.bind("conversations", BatchWrites.column(rows, (row) -> row.received().conversationId()))
			.bind("wamids", BatchWrites.column(rows, (row) -> row.received().wamid()))
			.bind("types", BatchWrites.column(rows, (row) -> row.parsed().type()))
			.bind("originalTypes", BatchWrites.column(rows, (row) -> row.parsed().originalType()))
			.bind("bodies", BatchWrites.column(rows, (row) -> row.parsed().body()))
			.bind("mediaIds", BatchWrites.column(rows, (row) -> row.parsed().mediaId()))
			.bind("mimeTypes", BatchWrites.column(rows, (row) -> row.parsed().mimeType()))
			.bind("contents", BatchWrites.column(rows, (row) -> row.received().message()))
			.bind("sentAt", BatchWrites.column(rows, (row) -> row.received().timestamp().toString()))
			.bind("now", BatchWrites.column(rows, (row) -> row.now().toString()))
			.then();
	}

	private record ConversationRow(UUID id, String tenantId, UUID contactId, String phoneNumberId,
			@Nullable String text, Instant sentAt, OffsetDateTime now) {

	}

	private record MessageRow(UUID id, WhatsAppMessageReceived received, InboundMessage parsed, OffsetDateTime now) {

	}

}

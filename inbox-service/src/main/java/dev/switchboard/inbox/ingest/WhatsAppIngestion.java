package dev.switchboard.inbox.ingest;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import io.r2dbc.postgresql.codec.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import dev.switchboard.events.MessageReceived;
import dev.switchboard.events.SwitchboardEvent;
import dev.switchboard.events.WhatsAppMessageReceived;
import dev.switchboard.events.WhatsAppStatusReceived;
import dev.switchboard.inbox.outbound.Statuses;
import io.micrometer.core.instrument.MeterRegistry;
import dev.switchboard.support.consumer.EventProcessor;
import dev.switchboard.support.outbox.OutboxWriter;

/**
 * Stores the WhatsApp messages the gateway verified. Deduplicates by {@code wamid}: Meta
 * retries webhooks for days, and a replay must change nothing.
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

	WhatsAppIngestion(DatabaseClient database, OutboxWriter outbox, EventProcessor processor, JsonMapper json,
			Clock clock, Statuses statuses, MeterRegistry meters) {
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
		return (batch) -> this.processor.processAll(CONSUMER, batch,
				(message) -> switch (this.processor.decode(CONSUMER, message)) {
					case WhatsAppMessageReceived received ->
						new EventProcessor.Work(received.tenantId() + ":" + received.wamid(), () -> store(received));
					case WhatsAppStatusReceived status ->
						new EventProcessor.Work(status.tenantId() + ":" + status.wamid() + ":" + status.status(),
								() -> this.statuses.record(status));
					case SwitchboardEvent other -> {
						logger.warn("{} ignores {}", CONSUMER, other.getClass().getSimpleName());
						yield null;
					}
				});
	}

	private Mono<Void> store(WhatsAppMessageReceived received) {
		InboundMessage parsed = InboundMessage.parse(this.json, received.type(), received.message());
		this.meters.counter("switchboard.inbox.messages.in", "type", parsed.type()).increment();
		OffsetDateTime now = OffsetDateTime.ofInstant(this.clock.instant(), ZoneOffset.UTC);
		OffsetDateTime sentAt = OffsetDateTime.ofInstant(received.timestamp(), ZoneOffset.UTC);
		UUID conversationId = UUID.fromString(received.conversationId());
		UUID messageId = UUID.randomUUID();
		return upsertContact(received, now).flatMap((contactId) -> upsertConversation(conversationId,
				received.tenantId(), contactId, received.phoneNumberId(), parsed, sentAt, now)
			.then(this.database.sql("""
					INSERT INTO message (id, tenant_id, conversation_id, direction, wamid, type, original_type, body,
					                     media_id, mime_type, content, whatsapp_timestamp, created_at)
					VALUES (:id, :tenant, :conversation, 'INBOUND', :wamid, :type, :originalType, :body, :mediaId,
					        :mimeType, :content, :sentAt, :now)""")
				.bind("id", messageId)
				.bind("tenant", received.tenantId())
				.bind("conversation", conversationId)
				.bind("wamid", received.wamid())
				.bind("type", parsed.type())
				.bind("originalType", Parameter.fromOrEmpty(parsed.originalType(), String.class))
				.bind("body", Parameter.fromOrEmpty(parsed.body(), String.class))
				.bind("mediaId", Parameter.fromOrEmpty(parsed.mediaId(), String.class))
				.bind("mimeType", Parameter.fromOrEmpty(parsed.mimeType(), String.class))
				.bind("content", Json.of(received.message()))
				.bind("sentAt", sentAt)
				.bind("now", now)
				.then())
			.then(contactLabels(contactId))
			.flatMap((labels) -> this.outbox.append(new MessageReceived(received.tenantId(), received.conversationId(),
					messageId.toString(), contactId.toString(), received.waId(), received.wamid(), parsed.type(),
					received.timestamp(), parsed.body(), labels))));
	}

	private Mono<java.util.List<String>> contactLabels(UUID contactId) {
		return this.database.sql("""
				SELECT l.name FROM contact_label cl JOIN label l ON l.id = cl.label_id
				WHERE cl.contact_id = :contact ORDER BY l.name""")
			.bind("contact", contactId)
			.map((row) -> java.util.Objects.requireNonNull(row.get("name", String.class)))
			.all()
			.collectList();
	}

	private Mono<UUID> upsertContact(WhatsAppMessageReceived received, OffsetDateTime now) {
		return this.database
			.sql("""
					INSERT INTO contact (id, tenant_id, wa_id, profile_name, created_at, opt_in_state, opt_in_source, opt_in_at)
					VALUES (:id, :tenant, :waId, :name, :now, 'OPTED_IN', 'CUSTOMER_INITIATED', :now)
					ON CONFLICT (tenant_id, wa_id)
					DO UPDATE SET profile_name = COALESCE(EXCLUDED.profile_name, contact.profile_name),
					    opt_in_state = CASE WHEN contact.opt_in_state = 'UNKNOWN' THEN 'OPTED_IN' ELSE contact.opt_in_state END,
					    opt_in_source = CASE WHEN contact.opt_in_state = 'UNKNOWN' THEN 'CUSTOMER_INITIATED'
					                         ELSE contact.opt_in_source END,
					    opt_in_at = CASE WHEN contact.opt_in_state = 'UNKNOWN' THEN EXCLUDED.opt_in_at ELSE contact.opt_in_at END
					RETURNING id""")
			.bind("id", UUID.randomUUID())
			.bind("tenant", received.tenantId())
			.bind("waId", received.waId())
			.bind("name", Parameter.fromOrEmpty(received.profileName(), String.class))
			.bind("now", now)
			.map((row) -> row.get("id", UUID.class))
			.one();
	}

	private Mono<Void> upsertConversation(UUID id, String tenantId, UUID contactId, String phoneNumberId,
			InboundMessage parsed, OffsetDateTime sentAt, OffsetDateTime now) {
		return this.database.sql("""
				INSERT INTO conversation (id, tenant_id, contact_id, status, unread_count, last_message_at, created_at,
				                          phone_number_id, last_message_text)
				VALUES (:id, :tenant, :contact, 'OPEN', 1, :sentAt, :now, :phone, :text)
				ON CONFLICT (id) DO UPDATE SET
				    unread_count = conversation.unread_count + 1,
				    last_message_text = CASE WHEN EXCLUDED.last_message_at >= conversation.last_message_at
				                             THEN EXCLUDED.last_message_text ELSE conversation.last_message_text END,
				    last_message_at = GREATEST(conversation.last_message_at, EXCLUDED.last_message_at),
				    phone_number_id = EXCLUDED.phone_number_id,
				    status = CASE WHEN conversation.status = 'RESOLVED' THEN 'OPEN' ELSE conversation.status END""")
			.bind("id", id)
			.bind("tenant", tenantId)
			.bind("contact", contactId)
			.bind("phone", phoneNumberId)
			.bind("text", Parameter.fromOrEmpty(parsed.body(), String.class))
			.bind("sentAt", sentAt)
			.bind("now", now)
			.then();
	}

}

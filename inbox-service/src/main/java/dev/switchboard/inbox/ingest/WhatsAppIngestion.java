package dev.switchboard.inbox.ingest;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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

	WhatsAppIngestion(DatabaseClient database, OutboxWriter outbox, EventProcessor processor, JsonMapper json,
			Clock clock) {
		this.database = database;
		this.outbox = outbox;
		this.processor = processor;
		this.json = json;
		this.clock = clock;
	}

	@Bean
	Consumer<Message<byte[]>> ingestWhatsApp() {
		return (message) -> {
			SwitchboardEvent event = this.processor.decode(CONSUMER, message);
			switch (event) {
				case WhatsAppMessageReceived received -> this.processor.process(CONSUMER,
						received.tenantId() + ":" + received.wamid(), () -> store(received));
				case WhatsAppStatusReceived status ->
					logger.debug("Status {} of {} is handled by outbound sending", status.status(), status.wamid());
				default -> logger.warn("{} ignores {}", CONSUMER, event.getClass().getSimpleName());
			}
		};
	}

	private Mono<Void> store(WhatsAppMessageReceived received) {
		InboundMessage parsed = InboundMessage.parse(this.json, received.type(), received.message());
		OffsetDateTime now = OffsetDateTime.ofInstant(this.clock.instant(), ZoneOffset.UTC);
		OffsetDateTime sentAt = OffsetDateTime.ofInstant(received.timestamp(), ZoneOffset.UTC);
		UUID conversationId = UUID.fromString(received.conversationId());
		UUID messageId = UUID.randomUUID();
		return upsertContact(received, now).flatMap((contactId) -> upsertConversation(conversationId,
				received.tenantId(), contactId, sentAt, now)
			.then(this.database.sql("""
					INSERT INTO message (id, tenant_id, conversation_id, direction, wamid, type, body, content,
					                     whatsapp_timestamp, created_at)
					VALUES (:id, :tenant, :conversation, 'INBOUND', :wamid, :type, :body, :content, :sentAt, :now)""")
				.bind("id", messageId)
				.bind("tenant", received.tenantId())
				.bind("conversation", conversationId)
				.bind("wamid", received.wamid())
				.bind("type", parsed.type())
				.bind("body", Parameter.fromOrEmpty(parsed.body(), String.class))
				.bind("content", Json.of(received.message()))
				.bind("sentAt", sentAt)
				.bind("now", now)
				.then())
			.then(this.outbox.append(new MessageReceived(received.tenantId(), received.conversationId(),
					messageId.toString(), contactId.toString(), received.waId(), received.wamid(), parsed.type(),
					received.timestamp(), parsed.body()))));
	}

	private Mono<UUID> upsertContact(WhatsAppMessageReceived received, OffsetDateTime now) {
		return this.database.sql("""
				INSERT INTO contact (id, tenant_id, wa_id, profile_name, created_at)
				VALUES (:id, :tenant, :waId, :name, :now)
				ON CONFLICT (tenant_id, wa_id)
				DO UPDATE SET profile_name = COALESCE(EXCLUDED.profile_name, contact.profile_name)
				RETURNING id""")
			.bind("id", UUID.randomUUID())
			.bind("tenant", received.tenantId())
			.bind("waId", received.waId())
			.bind("name", Parameter.fromOrEmpty(received.profileName(), String.class))
			.bind("now", now)
			.map((row) -> row.get("id", UUID.class))
			.one();
	}

	private Mono<Void> upsertConversation(UUID id, String tenantId, UUID contactId, OffsetDateTime sentAt,
			OffsetDateTime now) {
		return this.database.sql("""
				INSERT INTO conversation (id, tenant_id, contact_id, status, unread_count, last_message_at, created_at)
				VALUES (:id, :tenant, :contact, 'OPEN', 1, :sentAt, :now)
				ON CONFLICT (id) DO UPDATE SET
				    unread_count = conversation.unread_count + 1,
				    last_message_at = GREATEST(conversation.last_message_at, EXCLUDED.last_message_at),
				    status = CASE WHEN conversation.status = 'RESOLVED' THEN 'OPEN' ELSE conversation.status END""")
			.bind("id", id)
			.bind("tenant", tenantId)
			.bind("contact", contactId)
			.bind("sentAt", sentAt)
			.bind("now", now)
			.then();
	}

}

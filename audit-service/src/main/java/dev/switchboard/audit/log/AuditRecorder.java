package dev.switchboard.audit.log;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.function.Consumer;

import io.r2dbc.postgresql.codec.Json;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;
import org.springframework.r2dbc.core.DatabaseClient;

import dev.switchboard.events.EventTypes;
import dev.switchboard.support.consumer.EventProcessor;

/** Appends every platform event to the audit log, once per event id. */
@Configuration(proxyBeanMethods = false)
class AuditRecorder {

	static final String CONSUMER = "audit.record";

	@Bean
	Consumer<Message<byte[]>> recordAudit(EventProcessor processor, DatabaseClient database, Clock clock) {
		return (message) -> {
			EventProcessor.Envelope envelope = processor.envelope(CONSUMER, message);
			processor.process(CONSUMER, envelope.id(),
					() -> database.sql("""
							INSERT INTO audit_entry (event_id, tenant_id, event_type, conversation_id, occurred_at,
							                         recorded_at, payload)
							VALUES (:eventId, :tenant, :type, :conversation, :occurredAt, :recordedAt, :payload)""")
						.bind("eventId", envelope.id())
						.bind("tenant", envelope.event().tenantId())
						.bind("type", EventTypes.of(envelope.event()).type())
						.bind("conversation", UUID.fromString(envelope.event().conversationId()))
						.bind("occurredAt", OffsetDateTime.ofInstant(envelope.time(), ZoneOffset.UTC))
						.bind("recordedAt", OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
						.bind("payload", Json.of(envelope.payload()))
						.then());
		};
	}

}

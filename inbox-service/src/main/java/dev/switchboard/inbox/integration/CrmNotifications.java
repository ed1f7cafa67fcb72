package dev.switchboard.inbox.integration;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

import dev.switchboard.events.CloudEventHeaders;
import dev.switchboard.events.SwitchboardEvent;
import dev.switchboard.support.consumer.EventProcessor;

/**
 * Turns the inbox's and routing's events into CRM deliveries: one {@code PENDING} row per
 * active subscription of the event's tenant that subscribed to its type, created once per
 * event ({@code processed_event}) with the body every attempt will send.
 */
@Configuration(proxyBeanMethods = false)
class CrmNotifications {

	static final String CONSUMER = "inbox.notify-crm";

	@Bean
	Consumer<Message<List<byte[]>>> notifyCrm(EventProcessor processor, DatabaseClient database, JsonMapper json,
			Clock clock) {
		// Most tenants subscribe to few event types, or none: an event nobody subscribed
		// to costs no transaction and no deduplication row, a batch one read per tenant
		// and type, and its JSON is not even decoded when its headers (ce_type,
		// ce_tenant) already say so.
		return (batch) -> {
			Map<String, Boolean> subscribed = new HashMap<>();
			processor.processAllIf(CONSUMER, batch, (record) -> {
				if (EventProcessor.ofOtherType(record, CrmEventType.EVENT_CLASSES)) {
					return false;
				}
				// Without a known type the record is read (and parked as unreadable);
				// without a tenant the event says whose it is.
				CrmEventType type = CrmEventType.candidate(EventProcessor.attribute(record, CloudEventHeaders.TYPE));
				String tenantId = EventProcessor.attribute(record, CloudEventHeaders.TENANT);
				return type == null || tenantId == null || subscribed(database, subscribed, tenantId, type);
			}, (envelope) -> {
				CrmEventType type = CrmEventType.of(envelope.event());
				return type != null && subscribed(database, subscribed, envelope.event().tenantId(), type);
			}, (envelope) -> deliveries(database, json, clock, envelope));
		};
	}

	private static boolean subscribed(DatabaseClient database, Map<String, Boolean> batch, String tenantId,
			CrmEventType type) {
		return batch.computeIfAbsent(tenantId + " " + type, (key) -> subscribed(database, tenantId, type));
	}

	private static Mono<Void> deliveries(DatabaseClient database, JsonMapper json, Clock clock,
			EventProcessor.Envelope envelope) {
		SwitchboardEvent event = envelope.event();
		CrmEventType type = Objects.requireNonNull(CrmEventType.of(event));
		ObjectNode body = json.createObjectNode();
		body.put("id", envelope.id());
		body.put("type", type.name());
		body.put("occurredAt", envelope.time().toString());
		body.put("tenantId", event.tenantId());
		body.set("data", json.readTree(envelope.payload()));
		OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
		return database.sql("""
				INSERT INTO crm_delivery (id, subscription_id, tenant_id, event_id, event_type, body, status,
				                          next_attempt_at, created_at)
				SELECT gen_random_uuid(), s.id, s.tenant_id, :eventId, :type, :body, 'PENDING', :now, :now
				FROM crm_subscription s
				WHERE s.tenant_id = :tenant AND s.active AND :type = ANY (s.event_types)
				ON CONFLICT (subscription_id, event_id) DO NOTHING""")
			.bind("eventId", envelope.id())
			.bind("type", type.name())
			.bind("body", json.writeValueAsString(body))
			.bind("now", now)
			.bind("tenant", event.tenantId())
			.then();
	}

	private static boolean subscribed(DatabaseClient database, String tenantId, CrmEventType type) {
		return Boolean.TRUE.equals(database.sql("""
				SELECT EXISTS (SELECT 1 FROM crm_subscription
				               WHERE tenant_id = :tenant AND active AND :type = ANY (event_types))""")
			.bind("tenant", tenantId)
			.bind("type", type.name())
			.map((row) -> row.get(0, Boolean.class))
			.one()
			.block(Duration.ofSeconds(30)));
	}

}

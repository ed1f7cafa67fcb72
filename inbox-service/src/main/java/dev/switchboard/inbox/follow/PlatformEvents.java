package dev.switchboard.inbox.follow;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import reactor.core.publisher.Mono;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;
import org.springframework.r2dbc.core.DatabaseClient;

import dev.switchboard.events.ConversationAssigned;
import dev.switchboard.events.ConversationQueued;
import dev.switchboard.events.DeviceChanged;
import dev.switchboard.events.SwitchboardEvent;
import dev.switchboard.events.WindowExtended;
import dev.switchboard.events.WindowOpened;
import dev.switchboard.support.consumer.EventProcessor;

/**
 * Follows routing's and audit's events (once each): the window's expiry and the assignee
 * on the conversation, the devices in {@code device}. Every copy only moves forward, so a
 * late or repeated event changes nothing.
 */
@Configuration(proxyBeanMethods = false)
class PlatformEvents {

	static final String CONSUMER = "inbox.follow-platform";

	private static final Set<Class<? extends SwitchboardEvent>> HANDLED = Set.of(WindowOpened.class,
			WindowExtended.class, ConversationAssigned.class, ConversationQueued.class, DeviceChanged.class);

	@Bean
	Consumer<Message<List<byte[]>>> followPlatform(EventProcessor processor, DatabaseClient database) {
		return (batch) -> processor.processAll(CONSUMER, batch, HANDLED, (event) -> switch (event) {
			case WindowOpened opened ->
				window(database, opened.tenantId(), opened.conversationId(), opened.expiresAt());
			case WindowExtended extended ->
				window(database, extended.tenantId(), extended.conversationId(), extended.expiresAt());
			case ConversationAssigned assigned ->
				assignee(database, assigned.tenantId(), assigned.conversationId(), assigned.agentId());
			case ConversationQueued queued -> assignee(database, queued.tenantId(), queued.conversationId(), null);
			case DeviceChanged device -> database.sql("""
					INSERT INTO device (tenant_id, device_id, agent_id, name, kind, state, version)
					VALUES (:tenant, :id, :agent, :name, :kind, :state, :version)
					ON CONFLICT (tenant_id, device_id) DO UPDATE SET agent_id = EXCLUDED.agent_id,
					    name = EXCLUDED.name, kind = EXCLUDED.kind, state = EXCLUDED.state, version = EXCLUDED.version
					WHERE device.version < EXCLUDED.version""")
				.bind("tenant", device.tenantId())
				.bind("id", device.deviceId())
				.bind("agent", device.agentId())
				.bind("name", device.name())
				.bind("kind", device.kind())
				.bind("state", device.state())
				.bind("version", device.version())
				.then();
			default -> Mono.empty();
		});
	}

	private static Mono<Void> window(DatabaseClient database, String tenantId, String conversationId,
			Instant expiresAt) {
		return database
			.sql("""
					INSERT INTO routing_view (conversation_id, tenant_id, window_expires_at) VALUES (:id, :tenant, :expiresAt)
					ON CONFLICT (conversation_id) DO UPDATE SET window_expires_at =
					    GREATEST(COALESCE(routing_view.window_expires_at, EXCLUDED.window_expires_at),
					             EXCLUDED.window_expires_at)""")
			.bind("id", UUID.fromString(conversationId))
			.bind("tenant", tenantId)
			.bind("expiresAt", java.time.OffsetDateTime.ofInstant(expiresAt, java.time.ZoneOffset.UTC))
			.then();
	}

	/**
	 * Kafka keeps one conversation's routing events in order: the last one says who has
	 * it.
	 */
	private static Mono<Void> assignee(DatabaseClient database, String tenantId, String conversationId,
			@org.jspecify.annotations.Nullable String agentId) {
		return database.sql("""
				INSERT INTO routing_view (conversation_id, tenant_id, assignee) VALUES (:id, :tenant, :agent)
				ON CONFLICT (conversation_id) DO UPDATE SET assignee = EXCLUDED.assignee""")
			.bind("id", UUID.fromString(conversationId))
			.bind("tenant", tenantId)
			.bind("agent", org.springframework.r2dbc.core.Parameter.fromOrEmpty(agentId, String.class))
			.then();
	}

}

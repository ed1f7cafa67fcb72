package dev.switchboard.inbox.follow;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

import dev.switchboard.events.ConversationAssigned;
import dev.switchboard.events.ConversationQueued;
import dev.switchboard.events.DeviceChanged;
import dev.switchboard.events.SwitchboardEvent;
import dev.switchboard.events.WindowExtended;
import dev.switchboard.events.WindowOpened;
import dev.switchboard.support.consumer.BatchWrites;
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

	private final DatabaseClient database;

	private final Function<List<Window>, Mono<Void>> windows = this::writeWindows;

	private final Function<List<Assignee>, Mono<Void>> assignees = this::writeAssignees;

	PlatformEvents(DatabaseClient database) {
		this.database = database;
	}

	@Bean
	Consumer<Message<List<byte[]>>> followPlatform(EventProcessor processor) {
		return (batch) -> processor.processAll(CONSUMER, batch, HANDLED, (event) -> switch (event) {
			case WindowOpened opened -> BatchWrites.add(this.windows,
					new Window(opened.tenantId(), opened.conversationId(), opened.expiresAt()));
			case WindowExtended extended -> BatchWrites.add(this.windows,
					new Window(extended.tenantId(), extended.conversationId(), extended.expiresAt()));
			case ConversationAssigned assigned -> BatchWrites.add(this.assignees,
					new Assignee(assigned.tenantId(), assigned.conversationId(), assigned.agentId()));
			case ConversationQueued queued ->
				BatchWrites.add(this.assignees, new Assignee(queued.tenantId(), queued.conversationId(), null));
			case DeviceChanged device -> this.database.sql("""
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

	/**
	 * A batch's windows, one row per conversation with its latest expiry (nothing the
	 * consumer does reads them back, so they are written together before the commit).
	 */
	private Mono<Void> writeWindows(List<Window> rows) {
		Map<String, Window> latest = new TreeMap<>();
		rows.forEach((row) -> latest.merge(row.conversationId(), row,
				(before, after) -> after.expiresAt().isAfter(before.expiresAt()) ? after : before));
		List<Window> merged = List.copyOf(latest.values());
		return this.database.sql("""
				INSERT INTO routing_view (conversation_id, tenant_id, window_expires_at)
				SELECT CAST(c AS uuid), t, CAST(e AS timestamptz)
				FROM unnest(CAST(:conversations AS text[]), CAST(:tenants AS text[]), CAST(:expiresAt AS text[]))
				     AS r(c, t, e)
				ON CONFLICT (conversation_id) DO UPDATE SET window_expires_at =
				    GREATEST(COALESCE(routing_view.window_expires_at, EXCLUDED.window_expires_at),
				             EXCLUDED.window_expires_at)""")
			.bind("conversations", BatchWrites.column(merged, Window::conversationId))
			.bind("tenants", BatchWrites.column(merged, Window::tenantId))
			.bind("expiresAt", BatchWrites.column(merged, (row) -> row.expiresAt().toString()))
			.then();
	}

	/**
	 * A batch's assignees, one row per conversation: Kafka keeps one conversation's
	 * routing events in order, so the last one says who has it.
	 */
	private Mono<Void> writeAssignees(List<Assignee> rows) {
		Map<String, Assignee> last = new TreeMap<>();
		rows.forEach((row) -> last.put(row.conversationId(), row));
		List<Assignee> merged = List.copyOf(last.values());
		return this.database.sql("""
				INSERT INTO routing_view (conversation_id, tenant_id, assignee)
				SELECT CAST(c AS uuid), t, a
				FROM unnest(CAST(:conversations AS text[]), CAST(:tenants AS text[]), CAST(:agents AS text[]))
				     AS r(c, t, a)
				ON CONFLICT (conversation_id) DO UPDATE SET assignee = EXCLUDED.assignee""")
			.bind("conversations", BatchWrites.column(merged, Assignee::conversationId))
			.bind("tenants", BatchWrites.column(merged, Assignee::tenantId))
			.bind("agents", BatchWrites.column(merged, Assignee::agentId))
			.then();
	}

	private record Window(String tenantId, String conversationId, Instant expiresAt) {

	}

	private record Assignee(String tenantId, String conversationId, @Nullable String agentId) {

	}

}

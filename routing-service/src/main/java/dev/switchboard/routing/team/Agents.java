package dev.switchboard.routing.team;

import java.time.Clock;
import java.util.Arrays;
import java.util.List;

import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;

import dev.switchboard.routing.Rows;

/** The tenant's agents: who they are, whether they take conversations and how many. */
@Service
public class Agents {

	private static final String SELECT = """
			SELECT a.agent_id, a.display_name, a.presence, a.capacity, a.skills,
			       COALESCE((SELECT l.open_count FROM agent_load l
			         WHERE l.tenant_id = a.tenant_id AND l.agent_id = a.agent_id), 0) AS open_count
			FROM agent a""";

	private final DatabaseClient database;

	private final Clock clock;

	Agents(DatabaseClient database, Clock clock) {
		this.database = database;
		this.clock = clock;
	}

	/**
	 * Creates or updates an agent's profile (presence is the agent's own).
	 * @param tenantId the tenant
	 * @param agentId the agent's subject
	 * @param update the profile
	 * @return the agent
	 */
	Mono<AgentView> save(String tenantId, String agentId, AgentUpdate update) {
		return this.database.sql("""
				INSERT INTO agent (tenant_id, agent_id, display_name, capacity, skills, updated_at)
				VALUES (:tenant, :agent, :name, :capacity, :skills, :now)
				ON CONFLICT (tenant_id, agent_id) DO UPDATE SET display_name = EXCLUDED.display_name,
				    capacity = EXCLUDED.capacity, skills = EXCLUDED.skills, updated_at = EXCLUDED.updated_at""")
			.bind("tenant", tenantId)
			.bind("agent", agentId)
			.bind("name", update.displayName())
			.bind("capacity", update.capacity())
			.bind("skills", update.skills().toArray(String[]::new))
			.bind("now", Rows.utc(this.clock.instant()))
			.then()
			.then(find(tenantId, agentId));
	}

	/**
	 * Sets an agent's presence, creating the agent with default capacity on first use.
	 * @param tenantId the tenant
	 * @param agentId the agent
	 * @param presence the new presence
	 * @return the presence before
	 */
	public Mono<Presence> setPresence(String tenantId, String agentId, Presence presence) {
		return this.database.sql("""
				INSERT INTO agent (tenant_id, agent_id, display_name, presence, updated_at)
				VALUES (:tenant, :agent, :agent, 'OFFLINE', :now)
				ON CONFLICT (tenant_id, agent_id) DO NOTHING""")
			.bind("tenant", tenantId)
			.bind("agent", agentId)
			.bind("now", Rows.utc(this.clock.instant()))
			.then()
			.then(this.database
				.sql("SELECT presence FROM agent WHERE tenant_id = :tenant AND agent_id = :agent FOR UPDATE")
				.bind("tenant", tenantId)
				.bind("agent", agentId)
				.map((row) -> Presence.valueOf(Rows.text(row, "presence")))
				.one())
			.flatMap((before) -> this.database.sql("""
					UPDATE agent SET presence = :presence, updated_at = :now
					WHERE tenant_id = :tenant AND agent_id = :agent""")
				.bind("presence", presence.name())
				.bind("now", Rows.utc(this.clock.instant()))
				.bind("tenant", tenantId)
				.bind("agent", agentId)
				.then()
				.thenReturn(before));
	}

	public Mono<AgentView> find(String tenantId, String agentId) {
		return this.database.sql(SELECT + " WHERE a.tenant_id = :tenant AND a.agent_id = :agent")
			.bind("tenant", tenantId)
			.bind("agent", agentId)
			.map(Agents::view)
			.one();
	}

	Mono<List<AgentView>> list(String tenantId, int limit, @Nullable String after) {
		DatabaseClient.GenericExecuteSpec query = this.database
			.sql(SELECT + " WHERE a.tenant_id = :tenant" + ((after != null) ? " AND a.agent_id > :after" : "")
					+ " ORDER BY a.agent_id LIMIT :limit")
			.bind("tenant", tenantId)
			.bind("limit", limit);
		if (after != null) {
			query = query.bind("after", after);
		}
		return query.map(Agents::view).all().collectList();
	}

	private static AgentView view(Readable row) {
		String[] skills = row.get("skills", String[].class);
		Long open = row.get("open_count", Long.class);
		Integer capacity = row.get("capacity", Integer.class);
		return new AgentView(Rows.text(row, "agent_id"), Rows.text(row, "display_name"),
				Presence.valueOf(Rows.text(row, "presence")), (capacity != null) ? capacity : 0,
				(skills != null) ? Arrays.asList(skills) : List.of(), (open != null) ? open.intValue() : 0);
	}

	/**
	 * An agent as the API shows it.
	 *
	 * @param agentId the agent's subject
	 * @param displayName the name colleagues see
	 * @param presence whether they take conversations
	 * @param capacity the most open conversations they take
	 * @param skills labels or languages they cover
	 * @param openConversations conversations assigned to them now
	 */
	public record AgentView(String agentId, String displayName, Presence presence, int capacity, List<String> skills,
			int openConversations) {

	}

}

package dev.switchboard.routing.assignment;

import java.util.Objects;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import dev.switchboard.routing.Rows;
import dev.switchboard.routing.team.Strategy;

/**
 * What an assignment decision reads of teams and agents: a team's online members with
 * their loads, an agent's capacity. Read in the caller's transaction, after the tenant's
 * lock, so the loads cannot change before the decision is written.
 */
@Component
class TeamLoads {

	private final DatabaseClient database;

	TeamLoads(DatabaseClient database) {
		this.database = database;
	}

	/**
	 * The team's strategy and cursor with its online members' loads, read with one
	 * statement; empty when the tenant has no such team.
	 */
	Mono<TeamLoad> of(String tenantId, String teamId) {
		// The team on every row, with its online members (none: one row without an
		// agent).
		return this.database.sql("""
				SELECT t.strategy, t.last_agent_id, c.agent_id, c.open_count, c.last_assigned_at, c.capacity
				FROM team t
				LEFT JOIN (SELECT m.tenant_id, m.team_id, a.agent_id, COALESCE(l.open_count, 0) AS open_count,
				                  l.last_assigned_at, a.capacity
				           FROM team_member m JOIN agent a ON a.tenant_id = m.tenant_id AND a.agent_id = m.agent_id
				           LEFT JOIN agent_load l ON l.tenant_id = a.tenant_id AND l.agent_id = a.agent_id
				           WHERE a.presence = 'ONLINE') c ON c.tenant_id = t.tenant_id AND c.team_id = t.team_id
				WHERE t.tenant_id = :tenant AND t.team_id = :team
				ORDER BY c.agent_id""")
			.bind("tenant", tenantId)
			.bind("team", teamId)
			.map((row) -> new CandidateRow(
					new TeamLoad.Cursor(Strategy.valueOf(Rows.text(row, "strategy")),
							row.get("last_agent_id", String.class)),
					(row.get("agent_id", String.class) != null) ? new TeamLoad.Candidate(Rows.text(row, "agent_id"),
							Objects.requireNonNull(row.get("open_count", Long.class)),
							Rows.nullableInstant(row, "last_assigned_at"),
							Objects.requireNonNull(row.get("capacity", Integer.class))) : null))
			.all()
			.collectList()
			.flatMap((rows) -> rows.isEmpty() ? Mono.empty() : Mono.just(new TeamLoad(rows.getFirst().cursor(),
					rows.stream().map(CandidateRow::candidate).filter(Objects::nonNull).toList())));
	}

	/**
	 * An agent's capacity, open conversations and whether they are a member of the team;
	 * empty when the tenant has no such agent.
	 */
	Mono<Capacity> capacity(String tenantId, String agentId, String teamId) {
		return this.database.sql("""
				SELECT a.capacity,
				       COALESCE((SELECT l.open_count FROM agent_load l
				          WHERE l.tenant_id = a.tenant_id AND l.agent_id = a.agent_id), 0) AS open_count,
				       EXISTS (SELECT 1 FROM team_member m WHERE m.tenant_id = a.tenant_id
				          AND m.agent_id = a.agent_id AND m.team_id = :team) AS member
				FROM agent a WHERE a.tenant_id = :tenant AND a.agent_id = :agent""")
			.bind("team", teamId)
			.bind("tenant", tenantId)
			.bind("agent", agentId)
			.map((row) -> new Capacity(Objects.requireNonNull(row.get("capacity", Integer.class)),
					Objects.requireNonNull(row.get("open_count", Long.class)),
					Boolean.TRUE.equals(row.get("member", Boolean.class))))
			.one();
	}

	Mono<Boolean> agentExists(String tenantId, String agentId) {
		return this.database.sql("SELECT 1 FROM agent WHERE tenant_id = :tenant AND agent_id = :agent")
			.bind("tenant", tenantId)
			.bind("agent", agentId)
			.map((row) -> true)
			.one()
			.defaultIfEmpty(false);
	}

	record Capacity(int capacity, long open, boolean member) {

	}

	private record CandidateRow(TeamLoad.Cursor cursor, TeamLoad.@Nullable Candidate candidate) {

	}

}

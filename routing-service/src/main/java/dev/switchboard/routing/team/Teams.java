package dev.switchboard.routing.team;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import org.springframework.web.server.ResponseStatusException;

import dev.switchboard.routing.Rows;
import dev.switchboard.support.consumer.BatchWrites;

/** Teams, their members and the rules that route new conversations to them. */
@Service
public class Teams {

	private final DatabaseClient database;

	private final Clock clock;

	Teams(DatabaseClient database, Clock clock) {
		this.database = database;
		this.clock = clock;
	}

	Mono<TeamView> create(String tenantId, NewTeam team) {
		Mono<Void> clearDefault = team.isDefault()
				? this.database.sql("UPDATE team SET is_default = FALSE WHERE tenant_id = :tenant AND is_default")
					.bind("tenant", tenantId)
					.then()
				: Mono.empty();
		return clearDefault
			.then(this.database.sql("""
					INSERT INTO team (tenant_id, team_id, name, strategy, is_default, created_at)
					VALUES (:tenant, :team, :name, :strategy, :isDefault, :now)""")
				.bind("tenant", tenantId)
				.bind("team", team.teamId())
				.bind("name", team.name())
				.bind("strategy", team.strategy().name())
				.bind("isDefault", team.isDefault())
				.bind("now", Rows.utc(this.clock.instant()))
				.then())
			.onErrorMap(DataIntegrityViolationException.class,
					(ex) -> new ResponseStatusException(HttpStatus.CONFLICT,
							"A team with id " + team.teamId() + " already exists in this tenant"))
			.then(find(tenantId, team.teamId()));
	}

	Mono<TeamView> addMember(String tenantId, String teamId, String agentId) {
		return requireTeam(tenantId, teamId)
			.then(this.database.sql("""
					INSERT INTO team_member (tenant_id, team_id, agent_id, joined_at)
					SELECT :tenant, :team, :agent, :now
					WHERE EXISTS (SELECT 1 FROM agent WHERE tenant_id = :tenant AND agent_id = :agent)
					ON CONFLICT DO NOTHING""")
				.bind("tenant", tenantId)
				.bind("team", teamId)
				.bind("agent", agentId)
				.bind("now", Rows.utc(this.clock.instant()))
				.then())
			.then(this.database
				.sql("SELECT 1 FROM team_member WHERE tenant_id = :tenant AND team_id = :team AND agent_id = :agent")
				.bind("tenant", tenantId)
				.bind("team", teamId)
				.bind("agent", agentId)
				.map((row) -> true)
				.one()
				.switchIfEmpty(Mono.error(new ResponseStatusException(HttpStatus.UNPROCESSABLE_CONTENT, "No agent "
						+ agentId
						+ " in this tenant: create it with PUT /api/v1/agents/{agentId} or let it set its presence"))))
			.then(find(tenantId, teamId));
	}

	Mono<TeamView> removeMember(String tenantId, String teamId, String agentId) {
		return requireTeam(tenantId, teamId)
			.then(this.database
				.sql("DELETE FROM team_member WHERE tenant_id = :tenant AND team_id = :team AND agent_id = :agent")
				.bind("tenant", tenantId)
				.bind("team", teamId)
				.bind("agent", agentId)
				.then())
			.then(find(tenantId, teamId));
	}

	public Mono<TeamView> find(String tenantId, String teamId) {
		return this.database
			.sql("SELECT team_id, name, strategy, is_default FROM team WHERE tenant_id = :tenant AND team_id = :team")
			.bind("tenant", tenantId)
			.bind("team", teamId)
			.map(Teams::header)
			.one()
			.flatMap((team) -> members(tenantId, teamId).collectList()
				.map((members) -> new TeamView(team.teamId(), team.name(), team.strategy(), team.isDefault(),
						members)));
	}

	Mono<List<TeamView>> list(String tenantId, int limit, @Nullable String after) {
		DatabaseClient.GenericExecuteSpec query = this.database
			.sql("SELECT team_id, name, strategy, is_default FROM team WHERE tenant_id = :tenant"
					+ ((after != null) ? " AND team_id > :after" : "") + " ORDER BY team_id LIMIT :limit")
			.bind("tenant", tenantId)
			.bind("limit", limit);
		if (after != null) {
			query = query.bind("after", after);
		}
		return query.map(Teams::header)
			.all()
			.concatMap((team) -> members(tenantId, team.teamId()).collectList()
				.map((members) -> new TeamView(team.teamId(), team.name(), team.strategy(), team.isDefault(), members)))
			.collectList();
	}

	/**
	 * The teams an agent belongs to.
	 * @param tenantId the tenant
	 * @param agentId the agent
	 * @return their team ids
	 */
	public Flux<String> teamsOf(String tenantId, String agentId) {
		return this.database
			.sql("SELECT team_id FROM team_member WHERE tenant_id = :tenant AND agent_id = :agent ORDER BY team_id")
			.bind("tenant", tenantId)
			.bind("agent", agentId)
			.map((row) -> Rows.text(row, "team_id"))
			.all();
	}

	/**
	 * The team a new conversation goes to: the first matching rule by priority, else the
	 * default team.
	 * @param tenantId the tenant
	 * @param waId the customer's WhatsApp id
	 * @param firstText the first message's text, if any
	 * @param contactLabels the labels on the contact
	 * @return the team id, empty when the tenant has neither a matching rule nor a
	 * default team
	 */
	public Mono<String> teamFor(String tenantId, String waId, @Nullable String firstText,
			java.util.List<String> contactLabels) {
		String text = (firstText != null) ? firstText.toLowerCase(Locale.ROOT) : "";
		// A batch of messages reads its tenants' rules and default teams once.
		Mono<List<RuleView>> rules = BatchWrites.cached("routing.rules:" + tenantId, () -> this.database.sql(
				"SELECT kind, match, team_id FROM routing_rule WHERE tenant_id = :tenant ORDER BY priority, created_at")
			.bind("tenant", tenantId)
			.map((row) -> new RuleView(UUID.randomUUID(), 0, RuleKind.valueOf(Rows.text(row, "kind")),
					Rows.text(row, "match"), Rows.text(row, "team_id")))
			.all()
			.collectList());
		Mono<String> byRule = rules.flatMapIterable((all) -> all).filter((rule) -> switch (rule.kind()) {
			case CONTACT -> rule.match().equals(waId);
			case KEYWORD -> text.contains(rule.match().toLowerCase(Locale.ROOT));
			case LABEL -> contactLabels.stream().anyMatch((label) -> label.equalsIgnoreCase(rule.match()));
		}).next().map(RuleView::teamId);
		Mono<String> byDefault = BatchWrites.cached("routing.default-team:" + tenantId,
				() -> this.database.sql("SELECT team_id FROM team WHERE tenant_id = :tenant AND is_default")
					.bind("tenant", tenantId)
					.map((row) -> Rows.text(row, "team_id"))
					.one());
		return byRule.switchIfEmpty(byDefault);
	}

	Mono<RuleView> addRule(String tenantId, NewRule rule) {
		UUID id = UUID.randomUUID();
		return requireTeam(tenantId, rule.teamId())
			.then(this.database.sql("""
					INSERT INTO routing_rule (rule_id, tenant_id, priority, kind, match, team_id, created_at)
					VALUES (:id, :tenant, :priority, :kind, :match, :team, :now)""")
				.bind("id", id)
				.bind("tenant", tenantId)
				.bind("priority", rule.priority())
				.bind("kind", rule.kind().name())
				.bind("match", rule.match())
				.bind("team", rule.teamId())
				.bind("now", Rows.utc(this.clock.instant()))
				.then())
			.thenReturn(new RuleView(id, rule.priority(), rule.kind(), rule.match(), rule.teamId()));
	}

	Mono<List<RuleRow>> rules(String tenantId, int limit, @Nullable RuleRow after) {
		DatabaseClient.GenericExecuteSpec query = this.database
			.sql("""
					SELECT rule_id, priority, kind, match, team_id, created_at FROM routing_rule
					WHERE tenant_id = :tenant"""
					+ ((after != null) ? " AND (priority, created_at, rule_id) > (:priority, :createdAt, :rule)" : "")
					+ " ORDER BY priority, created_at, rule_id LIMIT :limit")
			.bind("tenant", tenantId)
			.bind("limit", limit);
		if (after != null) {
			query = query.bind("priority", after.rule().priority())
				.bind("createdAt", Rows.utc(after.createdAt()))
				.bind("rule", after.rule().ruleId());
		}
		return query
			.map((row) -> new RuleRow(new RuleView(Objects.requireNonNull(row.get("rule_id", UUID.class)),
					Objects.requireNonNull(row.get("priority", Integer.class)),
					RuleKind.valueOf(Rows.text(row, "kind")), Rows.text(row, "match"), Rows.text(row, "team_id")),
					Rows.instant(row, "created_at")))
			.all()
			.collectList();
	}

	Mono<Boolean> deleteRule(String tenantId, UUID ruleId) {
		return this.database.sql("DELETE FROM routing_rule WHERE tenant_id = :tenant AND rule_id = :id")
			.bind("tenant", tenantId)
			.bind("id", ruleId)
			.fetch()
			.rowsUpdated()
			.map((deleted) -> deleted > 0);
	}

	private Mono<Void> requireTeam(String tenantId, String teamId) {
		return this.database.sql("SELECT 1 FROM team WHERE tenant_id = :tenant AND team_id = :team")
			.bind("tenant", tenantId)
			.bind("team", teamId)
			.map((row) -> true)
			.one()
			.switchIfEmpty(Mono
				.error(new ResponseStatusException(HttpStatus.NOT_FOUND, "No team " + teamId + " in this tenant")))
			.then();
	}

	private Flux<String> members(String tenantId, String teamId) {
		return this.database
			.sql("SELECT agent_id FROM team_member WHERE tenant_id = :tenant AND team_id = :team ORDER BY agent_id")
			.bind("tenant", tenantId)
			.bind("team", teamId)
			.map((row) -> Rows.text(row, "agent_id"))
			.all();
	}

	private static TeamView header(Readable row) {
		return new TeamView(Rows.text(row, "team_id"), Rows.text(row, "name"),
				Strategy.valueOf(Rows.text(row, "strategy")), Boolean.TRUE.equals(row.get("is_default", Boolean.class)),
				List.of());
	}

	/**
	 * A team as the API shows it.
	 *
	 * @param teamId the team's id
	 * @param name its name
	 * @param strategy how it assigns
	 * @param isDefault whether conversations no rule matches go to it
	 * @param members its agents
	 */
	public record TeamView(String teamId, String name, Strategy strategy, boolean isDefault, List<String> members) {

	}

	/** What a routing rule matches. */
	public enum RuleKind {

		/** The customer's WhatsApp id. */
		CONTACT,

		/** A word or phrase in the first message (case-insensitive). */
		KEYWORD,

		/** A label on the contact, such as "VIP" (case-insensitive). */
		LABEL

	}

	/**
	 * A routing rule.
	 *
	 * @param ruleId its id
	 * @param priority lower first
	 * @param kind what it matches
	 * @param match the WhatsApp id or the keyword
	 * @param teamId where matching conversations go
	 */
	public record RuleView(UUID ruleId, int priority, RuleKind kind, String match, String teamId) {

	}

	/**
	 * A routing rule with its creation time, the tie-break of its sort order.
	 *
	 * @param rule the rule
	 * @param createdAt when it was added
	 */
	record RuleRow(RuleView rule, Instant createdAt) {

	}

}

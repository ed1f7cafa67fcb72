package dev.switchboard.routing.team;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import dev.switchboard.events.Role;
import dev.switchboard.support.web.Cursors;
import dev.switchboard.routing.Page;
import dev.switchboard.support.web.Caller;

/**
 * Agents, teams and routing rules of the caller's tenant. Every member reads them; OWNER
 * and ADMIN change them.
 */
@RestController
class TeamController {

	private static final Role[] MANAGERS = { Role.OWNER, Role.ADMIN };

	private final Agents agents;

	private final Teams teams;

	private final TransactionalOperator transactions;

	TeamController(Agents agents, Teams teams, TransactionalOperator transactions) {
		this.agents = agents;
		this.teams = teams;
		this.transactions = transactions;
	}

	@Operation(operationId = "listAgents", summary = "List the tenant's agents")
	@GetMapping("/api/v1/agents")
	Mono<AgentPage> agents(Caller caller, @RequestParam(defaultValue = "50") int limit,
			@RequestParam(required = false) @Nullable String cursor) {
		caller.requireAny(Role.OWNER, Role.ADMIN, Role.AGENT);
		if (limit < 1 || limit > 200) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "limit must be between 1 and 200");
		}
		return this.agents.list(caller.tenantId(), limit + 1, cursor).map((rows) -> {
			List<Agents.AgentView> items = rows.subList(0, Math.min(limit, rows.size()));
			String next = (rows.size() > limit) ? items.getLast().agentId() : null;
			return new AgentPage(List.copyOf(items), next);
		});
	}

	@Operation(operationId = "getAgent", summary = "Get an agent")
	@GetMapping("/api/v1/agents/{agentId}")
	Mono<Agents.AgentView> agent(Caller caller, @PathVariable String agentId) {
		caller.requireAny(Role.OWNER, Role.ADMIN, Role.AGENT);
		return this.agents.find(caller.tenantId(), agentId)
			.switchIfEmpty(Mono
				.error(new ResponseStatusException(HttpStatus.NOT_FOUND, "No agent " + agentId + " in this tenant")));
	}

	@Operation(operationId = "saveAgent", summary = "Create or update an agent")
	@PutMapping("/api/v1/agents/{agentId}")
	Mono<Agents.AgentView> saveAgent(Caller caller, @PathVariable String agentId,
			@Valid @RequestBody AgentUpdate update) {
		caller.requireAny(MANAGERS);
		return this.agents.save(caller.tenantId(), agentId, update).as(this.transactions::transactional);
	}

	/**
	 * The tenant's teams by id.
	 * @param caller any member
	 * @param limit page size (1 to 200)
	 * @param cursor the previous page's {@code nextCursor}
	 * @return a page
	 */
	@Operation(operationId = "listTeams", summary = "List the tenant's teams")
	@GetMapping("/api/v1/teams")
	Mono<Page<Teams.TeamView>> teams(Caller caller, @RequestParam(defaultValue = "50") int limit,
			@RequestParam(required = false) @Nullable String cursor) {
		caller.requireAny(Role.OWNER, Role.ADMIN, Role.AGENT);
		int checked = Cursors.limit(limit, 200);
		List<String> after = Cursors.decode(cursor, 1);
		return this.teams.list(caller.tenantId(), checked + 1, (after != null) ? after.getFirst() : null)
			.map((rows) -> Page.of(rows, checked, (team) -> Cursors.encode(team.teamId())));
	}

	@Operation(operationId = "createTeam", summary = "Create a team")
	@ApiResponse(responseCode = "201", description = "Created", useReturnTypeSchema = true)
	@PostMapping("/api/v1/teams")
	Mono<ResponseEntity<Teams.TeamView>> createTeam(Caller caller, @Valid @RequestBody NewTeam team) {
		caller.requireAny(MANAGERS);
		return this.teams.create(caller.tenantId(), team)
			.as(this.transactions::transactional)
			.map((created) -> ResponseEntity.status(HttpStatus.CREATED).body(created));
	}

	@Operation(operationId = "getTeam", summary = "Get a team")
	@GetMapping("/api/v1/teams/{teamId}")
	Mono<Teams.TeamView> team(Caller caller, @PathVariable String teamId) {
		caller.requireAny(Role.OWNER, Role.ADMIN, Role.AGENT);
		return this.teams.find(caller.tenantId(), teamId)
			.switchIfEmpty(Mono
				.error(new ResponseStatusException(HttpStatus.NOT_FOUND, "No team " + teamId + " in this tenant")));
	}

	@Operation(operationId = "addTeamMember", summary = "Add an agent to a team")
	@PutMapping("/api/v1/teams/{teamId}/members/{agentId}")
	Mono<Teams.TeamView> addMember(Caller caller, @PathVariable String teamId, @PathVariable String agentId) {
		caller.requireAny(MANAGERS);
		return this.teams.addMember(caller.tenantId(), teamId, agentId).as(this.transactions::transactional);
	}

	@Operation(operationId = "removeTeamMember", summary = "Remove an agent from a team")
	@DeleteMapping("/api/v1/teams/{teamId}/members/{agentId}")
	Mono<Teams.TeamView> removeMember(Caller caller, @PathVariable String teamId, @PathVariable String agentId) {
		caller.requireAny(MANAGERS);
		return this.teams.removeMember(caller.tenantId(), teamId, agentId).as(this.transactions::transactional);
	}

	/**
	 * The tenant's routing rules in the order they are tried.
	 * @param caller any member
	 * @param limit page size (1 to 200)
	 * @param cursor the previous page's {@code nextCursor}
	 * @return a page
	 */
	@Operation(operationId = "listRoutingRules", summary = "List the routing rules in the order they are tried")
	@GetMapping("/api/v1/routing/rules")
	Mono<Page<Teams.RuleView>> rules(Caller caller, @RequestParam(defaultValue = "50") int limit,
			@RequestParam(required = false) @Nullable String cursor) {
		caller.requireAny(Role.OWNER, Role.ADMIN, Role.AGENT);
		int checked = Cursors.limit(limit, 200);
		Teams.RuleRow after = ruleCursor(cursor);
		return this.teams.rules(caller.tenantId(), checked + 1, after).map((rows) -> {
			Page<Teams.RuleRow> page = Page.of(rows, checked,
					(row) -> Cursors.encode(Integer.toString(row.rule().priority()), row.createdAt().toString(),
							row.rule().ruleId().toString()));
			return new Page<>(page.items().stream().map(Teams.RuleRow::rule).toList(), page.nextCursor());
		});
	}

	private static Teams.@Nullable RuleRow ruleCursor(@Nullable String cursor) {
		List<String> parts = Cursors.decode(cursor, 3);
		if (parts == null) {
			return null;
		}
		try {
			return new Teams.RuleRow(new Teams.RuleView(UUID.fromString(parts.get(2)), Integer.parseInt(parts.get(0)),
					Teams.RuleKind.KEYWORD, "", ""), Instant.parse(parts.get(1)));
		}
		catch (IllegalArgumentException | DateTimeParseException ex) {
			throw Cursors.invalid();
		}
	}

	@Operation(operationId = "addRoutingRule", summary = "Add a routing rule")
	@ApiResponse(responseCode = "201", description = "Added", useReturnTypeSchema = true)
	@PostMapping("/api/v1/routing/rules")
	Mono<ResponseEntity<Teams.RuleView>> addRule(Caller caller, @Valid @RequestBody NewRule rule) {
		caller.requireAny(MANAGERS);
		return this.teams.addRule(caller.tenantId(), rule)
			.as(this.transactions::transactional)
			.map((created) -> ResponseEntity.status(HttpStatus.CREATED).body(created));
	}

	@Operation(operationId = "deleteRoutingRule", summary = "Delete a routing rule")
	@ApiResponse(responseCode = "204", description = "Deleted")
	@DeleteMapping("/api/v1/routing/rules/{ruleId}")
	Mono<ResponseEntity<Void>> deleteRule(Caller caller, @PathVariable UUID ruleId) {
		caller.requireAny(MANAGERS);
		return this.teams.deleteRule(caller.tenantId(), ruleId)
			.flatMap((deleted) -> deleted ? Mono.just(ResponseEntity.noContent().<Void>build())
					: Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND,
							"No routing rule " + ruleId + " in this tenant")));
	}

	/**
	 * One page of agents, by id.
	 *
	 * @param items the agents
	 * @param nextCursor pass as {@code cursor} for the next page; null on the last
	 */
	record AgentPage(List<Agents.AgentView> items, @Nullable String nextCursor) {

	}

}

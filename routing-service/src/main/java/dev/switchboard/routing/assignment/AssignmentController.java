package dev.switchboard.routing.assignment;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.transaction.reactive.TransactionalOperator;
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
import dev.switchboard.routing.team.Agents;
import dev.switchboard.routing.team.Presence;
import dev.switchboard.support.outbox.OutboxRelay;
import dev.switchboard.support.web.Caller;

/**
 * Presence, the queue and who has a conversation: agents set their presence and take
 * queued conversations; OWNER and ADMIN assign and transfer.
 */
@RestController
class AssignmentController {

	private final Dispatcher dispatcher;

	private final ManualAssignments manual;

	private final AssignmentStore assignments;

	private final Agents agents;

	private final TransactionalOperator transactions;

	private final OutboxRelay relay;

	AssignmentController(Dispatcher dispatcher, ManualAssignments manual, AssignmentStore assignments, Agents agents,
			TransactionalOperator transactions, OutboxRelay relay) {
		this.dispatcher = dispatcher;
		this.manual = manual;
		this.assignments = assignments;
		this.agents = agents;
		this.transactions = transactions;
		this.relay = relay;
	}

	/**
	 * The caller sets their own presence. Going {@code ONLINE} hands them queued
	 * conversations up to their capacity; going {@code OFFLINE} puts theirs back in the
	 * queue.
	 * @param caller the agent
	 * @param change the presence
	 * @return the agent
	 */
	@Operation(operationId = "setPresence", summary = "Set the caller's presence")
	@PutMapping("/api/v1/agents/me/presence")
	Mono<Agents.AgentView> presence(Caller caller, @Valid @RequestBody PresenceChange change) {
		caller.requireAny(Role.AGENT, Role.ADMIN, Role.OWNER);
		String tenant = caller.tenantId();
		Mono<Void> follow = switch (change.presence()) {
			case ONLINE -> this.dispatcher.drain(tenant);
			case OFFLINE -> this.dispatcher.requeue(tenant, caller.subject());
			case AWAY -> Mono.empty();
		};
		return this.agents.setPresence(tenant, caller.subject(), change.presence())
			.as(this.transactions::transactional)
			.then(follow.as(this.transactions::transactional))
			.doOnSuccess((ignored) -> this.relay.signal())
			.then(this.agents.find(tenant, caller.subject()));
	}

	@Operation(operationId = "getAssignment", summary = "Get a conversation's assignment")
	@GetMapping("/api/v1/conversations/{conversationId}/assignment")
	Mono<AssignmentView> assignment(Caller caller, @PathVariable UUID conversationId) {
		caller.requireAny(Role.OWNER, Role.ADMIN, Role.AGENT);
		return this.assignments.find(caller.tenantId(), conversationId)
			.switchIfEmpty(Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND,
					"No conversation " + conversationId + " in this tenant's routing")));
	}

	/**
	 * OWNER or ADMIN gives a conversation to an agent: a first assignment or a transfer.
	 * @param caller the admin
	 * @param conversationId the conversation
	 * @param request the agent
	 * @return the assignment
	 */
	@Operation(operationId = "assignConversation", summary = "Assign or transfer a conversation to an agent")
	@PutMapping("/api/v1/conversations/{conversationId}/assignment")
	Mono<AssignmentView> assign(Caller caller, @PathVariable UUID conversationId,
			@Valid @RequestBody AssignRequest request) {
		caller.requireAny(Role.OWNER, Role.ADMIN);
		return this.manual.assign(caller.tenantId(), conversationId, request.agentId())
			.as(this.transactions::transactional)
			.doOnSuccess((ignored) -> this.relay.signal());
	}

	/**
	 * An agent takes a queued conversation of one of their teams, within their capacity.
	 * @param caller the agent
	 * @param conversationId the conversation
	 * @return the assignment
	 */
	@Operation(operationId = "takeConversation", summary = "Take a queued conversation")
	@PostMapping("/api/v1/conversations/{conversationId}/assignment/take")
	Mono<AssignmentView> take(Caller caller, @PathVariable UUID conversationId) {
		caller.requireAny(Role.AGENT, Role.ADMIN, Role.OWNER);
		return this.manual.take(caller.tenantId(), conversationId, caller.subject())
			.as(this.transactions::transactional)
			.doOnSuccess((ignored) -> this.relay.signal());
	}

	/**
	 * The queue in arrival order, of one team or all.
	 * @param caller any member
	 * @param team a team id, or none for every team
	 * @param limit page size (1 to 200)
	 * @param cursor the previous page's {@code nextCursor}
	 * @return a page of queued conversations
	 */
	@Operation(operationId = "listQueue", summary = "List the queue in arrival order")
	@GetMapping("/api/v1/routing/queue")
	Mono<Page<AssignmentView>> queue(Caller caller, @RequestParam(required = false) @Nullable String team,
			@RequestParam(defaultValue = "50") int limit, @RequestParam(required = false) @Nullable String cursor) {
		caller.requireAny(Role.OWNER, Role.ADMIN, Role.AGENT);
		int checked = Cursors.limit(limit, 200);
		AssignmentStore.QueuePosition after = queueCursor(cursor);
		return this.assignments.queue(caller.tenantId(), team, checked + 1, after)
			.collectList()
			.map((rows) -> Page.of(rows, checked,
					(row) -> Cursors.encode(Objects.requireNonNull(row.queuedAt()).toString(), row.conversationId())));
	}

	private static AssignmentStore.@Nullable QueuePosition queueCursor(@Nullable String cursor) {
		List<String> parts = Cursors.decode(cursor, 2);
		if (parts == null) {
			return null;
		}
		try {
			return new AssignmentStore.QueuePosition(Instant.parse(parts.get(0)), UUID.fromString(parts.get(1)));
		}
		catch (IllegalArgumentException | DateTimeParseException ex) {
			throw Cursors.invalid();
		}
	}

	/**
	 * A presence to set.
	 *
	 * @param presence the presence
	 */
	record PresenceChange(@NotNull Presence presence) {

	}

	/**
	 * Whom to give a conversation.
	 *
	 * @param agentId the agent's subject
	 */
	record AssignRequest(@NotBlank String agentId) {

	}

}

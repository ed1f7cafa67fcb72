package dev.switchboard.routing.assignment;

import java.util.UUID;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.web.server.ResponseStatusException;

/**
 * Assignments a person asks for: an ADMIN assigns or transfers a conversation, an agent
 * takes a queued one. Each decides under the tenant's lock, as the {@link Dispatcher}
 * does; callers run each method in a transaction.
 */
@Service
class ManualAssignments {

	private final AssignmentStore assignments;

	private final TeamLoads loads;

	private final Handover handover;

	ManualAssignments(AssignmentStore assignments, TeamLoads loads, Handover handover) {
		this.assignments = assignments;
		this.loads = loads;
		this.handover = handover;
	}

	/**
	 * An ADMIN gives a conversation to an agent (assignment or transfer).
	 * @param tenantId the tenant
	 * @param conversationId the conversation
	 * @param agentId the agent
	 * @return the assignment
	 */
	Mono<AssignmentView> assign(String tenantId, UUID conversationId, String agentId) {
		return this.assignments.lockTenant(tenantId)
			.then(lockOrNotFound(tenantId, conversationId))
			.flatMap((current) -> requireAgent(tenantId, agentId).then(Mono.defer(() -> {
				if (agentId.equals(current.holder())) {
					return Mono.<Void>empty();
				}
				return this.handover.give(tenantId, conversationId, current.team(), agentId,
						(current.holder() != null) ? "TRANSFER" : "MANUAL", current.holder(), null);
			})))
			.then(this.assignments.find(tenantId, conversationId));
	}

	/**
	 * An agent takes a queued conversation of one of their teams, within their capacity.
	 * @param tenantId the tenant
	 * @param conversationId the conversation
	 * @param agentId the agent
	 * @return the assignment
	 */
	Mono<AssignmentView> take(String tenantId, UUID conversationId, String agentId) {
		return this.assignments.lockTenant(tenantId)
			.then(lockOrNotFound(tenantId, conversationId))
			.flatMap((current) -> {
				if (current.state() != AssignmentState.QUEUED) {
					return Mono.error(new ResponseStatusException(HttpStatus.CONFLICT,
							"Conversation " + conversationId + " is " + current.state() + ", not queued"));
				}
				return this.loads.capacity(tenantId, agentId, current.team())
					.switchIfEmpty(Mono.error(new ResponseStatusException(HttpStatus.FORBIDDEN,
							"Only an agent of the conversation's team may take it; set your presence first")))
					.flatMap((capacity) -> {
						if (!capacity.member()) {
							return Mono.error(new ResponseStatusException(HttpStatus.FORBIDDEN,
									"Conversation " + conversationId + " belongs to team " + current.teamId()
											+ ", which you are not a member of"));
						}
						if (capacity.open() >= capacity.capacity()) {
							return Mono.error(new ResponseStatusException(HttpStatus.CONFLICT,
									"You already have " + capacity.open() + " open conversations, your capacity is "
											+ capacity.capacity()));
						}
						return this.handover.give(tenantId, conversationId, current.team(), agentId, "TAKEN", null,
								null);
					});
			})
			.then(this.assignments.find(tenantId, conversationId));
	}

	private Mono<Void> requireAgent(String tenantId, String agentId) {
		return this.loads.agentExists(tenantId, agentId)
			.filter(Boolean::booleanValue)
			.switchIfEmpty(Mono.error(new ResponseStatusException(HttpStatus.UNPROCESSABLE_CONTENT,
					"No agent " + agentId + " in this tenant")))
			.then();
	}

	private Mono<Assignment> lockOrNotFound(String tenantId, UUID conversationId) {
		return this.assignments.lock(tenantId, conversationId)
			.switchIfEmpty(Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND,
					"No conversation " + conversationId + " in this tenant's routing")));
	}

}

package dev.switchboard.routing.assignment;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

import dev.switchboard.events.ConversationAssigned;
import dev.switchboard.support.outbox.OutboxWriter;

/**
 * Gives a conversation to an agent, however the decision was made (a new message, the
 * queue draining, an escalation, an admin, the agent themselves): the assignment, its
 * event and its count happen together or not at all. Call it under the tenant's lock.
 */
@Component
class Handover {

	private final AssignmentStore assignments;

	private final TeamLoads loads;

	private final OutboxWriter outbox;

	private final Clock clock;

	private final MeterRegistry meters;

	Handover(AssignmentStore assignments, TeamLoads loads, OutboxWriter outbox, Clock clock, MeterRegistry meters) {
		this.assignments = assignments;
		this.loads = loads;
		this.outbox = outbox;
		this.clock = clock;
		this.meters = meters;
	}

	/**
	 * The online member of a team with spare capacity the team's strategy picks.
	 * @param excluded an agent not to pick, if any
	 * @return the agent, empty when nobody is free
	 */
	Mono<String> pick(String tenantId, String teamId, @Nullable String excluded) {
		return this.loads.of(tenantId, teamId).flatMap((team) -> Mono.justOrEmpty(team.choose(excluded)));
	}

	/**
	 * Gives the conversation to the agent and announces it.
	 * @param reason why, as {@link ConversationAssigned} names it
	 * @param previousAgentId who had it, if anyone
	 * @param requiredState the state it must still be in, if any (nothing happens
	 * otherwise)
	 * @return completion
	 */
	Mono<Void> give(String tenantId, UUID conversationId, String teamId, String agentId, String reason,
			@Nullable String previousAgentId, @Nullable AssignmentState requiredState) {
		Instant now = this.clock.instant();
		return this.assignments.give(tenantId, conversationId, teamId, agentId, now, requiredState)
			.filter(Boolean::booleanValue)
			.flatMap((given) -> this.outbox.append(new ConversationAssigned(tenantId, conversationId.toString(),
					agentId, teamId, reason, previousAgentId, now)))
			.doOnSuccess(
					(ignored) -> this.meters.counter("switchboard.routing.assignments", "reason", reason).increment());
	}

}

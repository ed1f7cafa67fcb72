package dev.switchboard.routing.assignment;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A conversation's assignment as a decision reads it, locked until the transaction ends.
 *
 * @param state where it stands
 * @param teamId its team, null when the tenant has no team for it
 * @param agentId the agent who has it (the last one, once resolved)
 * @param awaitingSince the customer's first unanswered message, null when answered
 */
record Assignment(AssignmentState state, @Nullable String teamId, @Nullable String agentId,
		@Nullable Instant awaitingSince) {

	boolean resolved() {
		return this.state == AssignmentState.RESOLVED;
	}

	/**
	 * @return the agent who has it now, {@code null} when queued or resolved
	 */
	@Nullable String holder() {
		return (this.state == AssignmentState.ASSIGNED) ? this.agentId : null;
	}

	/**
	 * @return the team, {@code ""} for none (as the tables keep it)
	 */
	String team() {
		return (this.teamId != null) ? this.teamId : "";
	}

}

package dev.switchboard.routing.assignment;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.switchboard.routing.team.Strategy;

/**
 * A team's strategy and cursor with its online members' loads: who the team gives its
 * next conversation to.
 *
 * @param cursor the strategy and the member given the team's last conversation
 * @param members the online members, in id order
 */
record TeamLoad(Cursor cursor, List<Candidate> members) {

	/**
	 * @param excluded an agent not to pick, if any
	 * @return the member with spare capacity the strategy picks, {@code null} for none
	 */
	@Nullable String choose(@Nullable String excluded) {
		List<Candidate> free = this.members.stream()
			.filter((member) -> member.open() < member.capacity() && !member.agentId().equals(excluded))
			.toList();
		if (free.isEmpty()) {
			return null;
		}
		if (this.cursor.strategy() == Strategy.ROUND_ROBIN) {
			String last = this.cursor.lastAgentId();
			return free.stream()
				.map(Candidate::agentId)
				.filter((agent) -> last == null || agent.compareTo(last) > 0)
				.findFirst()
				.orElse(free.getFirst().agentId());
		}
		return free.stream()
			.sorted(Comparator.comparingLong(Candidate::open)
				.thenComparing(Candidate::lastAssignedAt, Comparator.nullsFirst(Comparator.naturalOrder()))
				.thenComparing(Candidate::agentId))
			.findFirst()
			.map(Candidate::agentId)
			.orElse(null);
	}

	/**
	 * @param agentId the agent given a conversation
	 * @param at when
	 * @param byThisTeam whether it was this team's conversation (its cursor moves on)
	 * @return the load after it
	 */
	TeamLoad assigned(String agentId, Instant at, boolean byThisTeam) {
		List<Candidate> after = this.members.stream()
			.map((member) -> member.agentId().equals(agentId) ? new Candidate(agentId, member.open() + 1,
					(member.lastAssignedAt() == null || member.lastAssignedAt().isBefore(at)) ? at
							: member.lastAssignedAt(),
					member.capacity()) : member)
			.toList();
		return new TeamLoad(byThisTeam ? new Cursor(this.cursor.strategy(), agentId) : this.cursor, after);
	}

	/**
	 * How a team picks and whom it picked last.
	 *
	 * @param strategy round robin or least loaded
	 * @param lastAgentId the member given the team's last conversation, if any
	 */
	record Cursor(Strategy strategy, @Nullable String lastAgentId) {

	}

	/**
	 * An online member's load.
	 *
	 * @param agentId the agent
	 * @param open their open conversations
	 * @param lastAssignedAt when they were last given one
	 * @param capacity how many they may have open
	 */
	record Candidate(String agentId, long open, @Nullable Instant lastAssignedAt, int capacity) {

	}

}

package dev.switchboard.routing.assignment;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.switchboard.events.MessageReceived;
import dev.switchboard.events.SwitchboardEvent;

/**
 * The assignments one batch of the inbox's events changes. A conversation whose only
 * events in the batch are its customer's messages, and whose assignment is open, only
 * awaits a reply the more: all its messages are applied to it with one statement for the
 * whole batch ({@link Dispatcher#prepare}) instead of one per message. The others were
 * read and locked together, so the first message to each needs no read of its own.
 * <p>
 * New conversations are given out from the {@link TeamLoad loads} of their teams' online
 * members, each read once per batch and kept up to date by the batch's own assignments
 * (the tenant's lock keeps everyone else's out until the batch commits); any other change
 * of assignments in the batch {@link #forgetTeams forgets} them, so that the next new
 * conversation reads them again.
 */
public final class BatchAssignments {

	private final Set<UUID> awaiting = new HashSet<>();

	private final Map<UUID, Span> notOpen = new HashMap<>();

	private final Map<UUID, Assignment> found = new HashMap<>();

	private final Map<String, Optional<TeamLoad>> teams = new HashMap<>();

	BatchAssignments() {
	}

	/**
	 * For each conversation with nothing but customers' messages among these events: the
	 * first message's and the latest WhatsApp timestamp, in conversation id order.
	 */
	static Map<UUID, Span> onlyMessages(List<SwitchboardEvent> events) {
		Map<UUID, Span> spans = new TreeMap<>();
		Set<UUID> others = new HashSet<>();
		for (SwitchboardEvent event : events) {
			if (event.conversationId() == null) {
				continue;
			}
			UUID conversation = UUID.fromString(event.conversationId());
			if (event instanceof MessageReceived received) {
				spans.merge(conversation, new Span(received.tenantId(), received.sentAt(), received.sentAt()),
						(before, after) -> new Span(before.tenantId(), before.first(),
								after.last().isAfter(before.last()) ? after.last() : before.last()));
			}
			else {
				others.add(conversation);
			}
		}
		spans.keySet().removeAll(others);
		return spans;
	}

	/** Forgets what a previous attempt at the batch left. */
	void clear() {
		this.awaiting.clear();
		this.notOpen.clear();
		this.found.clear();
		this.teams.clear();
	}

	void awaiting(UUID conversationId) {
		this.awaiting.add(conversationId);
	}

	/**
	 * Notes the conversations of {@link #onlyMessages} whose assignment was not open when
	 * the batch began (new or resolved).
	 */
	void notOpen(Map<UUID, Span> spans) {
		spans.forEach((conversation, span) -> {
			if (!this.awaiting.contains(conversation)) {
				this.notOpen.put(conversation, span);
			}
		});
	}

	/**
	 * @return the conversations {@link #notOpen noted} not open
	 */
	Set<UUID> notOpen() {
		return Set.copyOf(this.notOpen.keySet());
	}

	/**
	 * @return the batch's messages to the conversation if this is the first of them and
	 * the conversation was known not to be open when the batch began, else {@code null}
	 * (asked once per conversation)
	 */
	@Nullable Span firstToNotOpen(MessageReceived received) {
		return this.notOpen.remove(UUID.fromString(received.conversationId()));
	}

	/**
	 * Notes the assignment of a conversation {@link #notOpen} that exists (resolved), as
	 * read and locked when the batch began.
	 */
	void found(UUID conversationId, Assignment current) {
		this.found.put(conversationId, current);
	}

	/**
	 * @return the assignment of a conversation that was not open when the batch began,
	 * empty if it had none (asked once, by its first message)
	 */
	Optional<Assignment> foundOf(UUID conversationId) {
		return Optional.ofNullable(this.found.remove(conversationId));
	}

	/**
	 * @return the team's load as this batch left it, {@code null} when it was not read in
	 * this batch (an empty optional: the tenant has no such team)
	 */
	@Nullable Optional<TeamLoad> team(String tenantId, String teamId) {
		return this.teams.get(key(tenantId, teamId));
	}

	void team(String tenantId, String teamId, Optional<TeamLoad> load) {
		this.teams.put(key(tenantId, teamId), load);
	}

	/**
	 * The batch gave a conversation of the team to an agent: one more open conversation,
	 * given now, for that agent in every team of the tenant read in this batch, and the
	 * team's round-robin cursor on them.
	 */
	void assigned(String tenantId, String teamId, String agentId, Instant at) {
		String prefix = key(tenantId, "");
		this.teams.replaceAll((key, load) -> key.startsWith(prefix)
				? load.map((team) -> team.assigned(agentId, at, key.equals(key(tenantId, teamId)))) : load);
	}

	/** Assignments changed some other way in this batch: the loads read are stale. */
	void forgetTeams() {
		this.teams.clear();
	}

	private static String key(String tenantId, String teamId) {
		return tenantId + '\n' + teamId;
	}

	/**
	 * @return whether the batch's messages were already applied to this conversation's
	 * open assignment
	 */
	boolean awaiting(MessageReceived received) {
		return this.awaiting.contains(UUID.fromString(received.conversationId()));
	}

	/** Tenants of these spans, sorted: the order their locks are taken in. */
	static List<String> tenants(Map<UUID, Span> spans) {
		return List.copyOf(new TreeSet<>(spans.values().stream().map(Span::tenantId).toList()));
	}

	/**
	 * A conversation's customer messages in the batch.
	 *
	 * @param tenantId the tenant
	 * @param first the WhatsApp timestamp of the first in the batch's order
	 * @param last the latest WhatsApp timestamp
	 */
	record Span(String tenantId, Instant first, Instant last) {

	}

}

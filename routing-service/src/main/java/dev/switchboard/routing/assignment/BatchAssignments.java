package dev.switchboard.routing.assignment;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import dev.switchboard.events.MessageReceived;
import dev.switchboard.events.SwitchboardEvent;

/**
 * The assignments one batch of the inbox's events changes. A conversation whose only
 * events in the batch are its customer's messages, and whose assignment is open, only
 * awaits a reply the more: all its messages are applied to it with one statement for the
 * whole batch ({@link Dispatcher#prepare}) instead of one per message.
 */
public final class BatchAssignments {

	private final Set<UUID> awaiting = new HashSet<>();

	private final Set<UUID> notOpen = new HashSet<>();

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
	}

	void awaiting(UUID conversationId) {
		this.awaiting.add(conversationId);
	}

	/**
	 * Notes the conversations of {@link #onlyMessages} whose assignment was not open when
	 * the batch began (new or resolved).
	 */
	void notOpen(Set<UUID> conversations) {
		conversations.stream()
			.filter((conversation) -> !this.awaiting.contains(conversation))
			.forEach(this.notOpen::add);
	}

	/**
	 * @return whether this is the first of the batch's messages to a conversation that
	 * was known not to be open when the batch began (asked once per conversation)
	 */
	boolean firstToNotOpen(MessageReceived received) {
		return this.notOpen.remove(UUID.fromString(received.conversationId()));
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

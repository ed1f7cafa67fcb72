package dev.switchboard.routing.window;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.switchboard.events.MessageReceived;
import dev.switchboard.events.SwitchboardEvent;

/**
 * The windows of one batch's conversations: read and locked with one statement before the
 * batch's messages are applied, moved forward in memory one message after the other, and
 * written with one statement before the commit ({@link ConversationWindows}).
 */
public final class BatchWindows {

	private final Map<UUID, Window> windows = new HashMap<>();

	BatchWindows() {
	}

	/** The conversations of these customers' messages, in id order (the lock order). */
	static Set<UUID> conversations(List<SwitchboardEvent> events) {
		Set<UUID> conversations = new TreeSet<>();
		for (SwitchboardEvent event : events) {
			if (event instanceof MessageReceived received) {
				conversations.add(UUID.fromString(received.conversationId()));
			}
		}
		return conversations;
	}

	/** Forgets what a previous attempt at the batch left, before the windows are read. */
	void clear() {
		this.windows.clear();
	}

	@Nullable Window get(UUID conversationId) {
		return this.windows.get(conversationId);
	}

	void put(Window window) {
		this.windows.put(window.conversationId(), Objects.requireNonNull(window));
	}

	/**
	 * A conversation's window as stored.
	 *
	 * @param conversationId the conversation
	 * @param tenantId its tenant
	 * @param openedAt when the window opened
	 * @param lastCustomerAt the customer's last message (WhatsApp timestamp)
	 * @param expiresAt when it expires
	 */
	record Window(UUID conversationId, String tenantId, Instant openedAt, Instant lastCustomerAt, Instant expiresAt) {

	}

}

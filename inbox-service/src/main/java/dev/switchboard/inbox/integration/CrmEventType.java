package dev.switchboard.inbox.integration;

import java.util.Arrays;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import dev.switchboard.events.ConversationAssigned;
import dev.switchboard.events.ConversationStatusChanged;
import dev.switchboard.events.MessageReceived;
import dev.switchboard.events.MessageStatusChanged;
import dev.switchboard.events.SwitchboardEvent;

/**
 * What a CRM can subscribe to, and which platform event each one is.
 */
enum CrmEventType {

	/** A customer's message was stored ({@code MessageReceived}). */
	MESSAGE_RECEIVED,

	/** An outbound message reached a new status ({@code MessageStatusChanged}). */
	MESSAGE_STATUS,

	/** Routing gave a conversation to an agent ({@code ConversationAssigned}). */
	CONVERSATION_ASSIGNED,

	/**
	 * A conversation was resolved ({@code ConversationStatusChanged} to
	 * {@code RESOLVED}).
	 */
	CONVERSATION_RESOLVED;

	/**
	 * The CRM event type of a platform event.
	 * @param event the event
	 * @return its type, or null when CRMs cannot subscribe to it
	 */
	static @Nullable CrmEventType of(SwitchboardEvent event) {
		return switch (event) {
			case MessageReceived received -> MESSAGE_RECEIVED;
			case MessageStatusChanged status -> MESSAGE_STATUS;
			case ConversationAssigned assigned -> CONVERSATION_ASSIGNED;
			case ConversationStatusChanged changed when "RESOLVED".equals(changed.status()) -> CONVERSATION_RESOLVED;
			default -> null;
		};
	}

	static Optional<CrmEventType> named(String name) {
		return Arrays.stream(values()).filter((type) -> type.name().equals(name)).findFirst();
	}

}

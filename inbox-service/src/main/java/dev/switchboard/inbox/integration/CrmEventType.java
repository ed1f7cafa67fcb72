package dev.switchboard.inbox.integration;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import dev.switchboard.events.ConversationAssigned;
import dev.switchboard.events.ConversationStatusChanged;
import dev.switchboard.events.EventTypes;
import dev.switchboard.events.MessageReceived;
import dev.switchboard.events.MessageStatusChanged;
import dev.switchboard.events.SwitchboardEvent;

/**
 * What a CRM can subscribe to, and which platform event each one is.
 */
enum CrmEventType {

	/** A customer's message was stored ({@code MessageReceived}). */
	MESSAGE_RECEIVED(MessageReceived.class),

	/** An outbound message reached a new status ({@code MessageStatusChanged}). */
	MESSAGE_STATUS(MessageStatusChanged.class),

	/** Routing gave a conversation to an agent ({@code ConversationAssigned}). */
	CONVERSATION_ASSIGNED(ConversationAssigned.class),

	/**
	 * A conversation was resolved ({@code ConversationStatusChanged} to
	 * {@code RESOLVED}).
	 */
	CONVERSATION_RESOLVED(ConversationStatusChanged.class);

	/** The platform events a CRM event type can be. */
	static final Set<Class<? extends SwitchboardEvent>> EVENT_CLASSES = Arrays.stream(values())
		.map((type) -> type.eventClass)
		.collect(Collectors.toUnmodifiableSet());

	private final Class<? extends SwitchboardEvent> eventClass;

	CrmEventType(Class<? extends SwitchboardEvent> eventClass) {
		this.eventClass = eventClass;
	}

	/**
	 * The CRM event type an event of a CloudEvents type may be, before its payload is
	 * read ({@link #of} decides).
	 * @param cloudEventType the {@code ce_type}
	 * @return the CRM event type, or null when no event of that type is one
	 */
	static @Nullable CrmEventType candidate(@Nullable String cloudEventType) {
		if (cloudEventType == null) {
			return null;
		}
		Class<? extends SwitchboardEvent> eventClass = EventTypes.forType(cloudEventType)
			.map(EventTypes.Registration::eventClass)
			.orElse(null);
		return Arrays.stream(values()).filter((type) -> type.eventClass == eventClass).findFirst().orElse(null);
	}

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

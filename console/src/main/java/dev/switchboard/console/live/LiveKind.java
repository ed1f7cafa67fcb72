package dev.switchboard.console.live;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import dev.switchboard.events.EventTypes;
import dev.switchboard.events.Role;

/**
 * What changed, as a browser needs to know it: the kind of an event of the platform and
 * who may hear of it. A browser re-reads the affected part of its page through the API,
 * which applies the user's roles again; these roles only keep the stream from announcing
 * what a user's pages never show.
 */
enum LiveKind {

	/** A message arrived or was sent. */
	MESSAGE(true, Role.OWNER, Role.ADMIN, Role.AGENT),

	/** An outbound message's tick moved. */
	STATUS(true, Role.OWNER, Role.ADMIN, Role.AGENT),

	/** A conversation was opened, parked or resolved. */
	CONVERSATION(true, Role.OWNER, Role.ADMIN, Role.AGENT),

	/** A conversation was assigned, queued or escalated. */
	ASSIGNMENT(true, Role.OWNER, Role.ADMIN, Role.AGENT),

	/** A conversation's 24-hour window opened, was extended, is closing or expired. */
	WINDOW(true, Role.OWNER, Role.ADMIN, Role.AGENT),

	/** A device was registered, renamed or revoked. */
	DEVICE(false, Role.OWNER, Role.ADMIN),

	/** The tenant's plan changed. */
	PLAN(false, Role.OWNER, Role.ADMIN, Role.FINANCE);

	private final boolean perConversation;

	private final Set<Role> audience;

	LiveKind(boolean perConversation, Role... audience) {
		this.perConversation = perConversation;
		this.audience = EnumSet.of(audience[0], audience);
	}

	/** Whether the event names a conversation (its Kafka key). */
	boolean perConversation() {
		return this.perConversation;
	}

	/**
	 * Whether a user with these roles hears of it.
	 * @param roles the user's roles
	 * @return true if one of them may
	 */
	boolean visibleTo(Set<Role> roles) {
		return roles.stream().anyMatch(this.audience::contains);
	}

	/** The event's name on the stream ({@code message}, {@code status}, ...). */
	String eventName() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

	/**
	 * The kind of a CloudEvents type of the platform.
	 * @param type the {@code ce_type}
	 * @return the kind, or empty for events no page shows
	 */
	static Optional<LiveKind> of(String type) {
		return Optional.ofNullable(switch (type) {
			case EventTypes.MESSAGE_RECEIVED, EventTypes.MESSAGE_SENT -> MESSAGE;
			case EventTypes.MESSAGE_STATUS_CHANGED -> STATUS;
			case EventTypes.CONVERSATION_STATUS_CHANGED -> CONVERSATION;
			case EventTypes.CONVERSATION_ASSIGNED, EventTypes.CONVERSATION_QUEUED, EventTypes.CONVERSATION_ESCALATED ->
				ASSIGNMENT;
			case EventTypes.WINDOW_OPENED, EventTypes.WINDOW_EXTENDED, EventTypes.WINDOW_CLOSING,
					EventTypes.WINDOW_EXPIRED ->
				WINDOW;
			case EventTypes.DEVICE_CHANGED -> DEVICE;
			case EventTypes.PLAN_CHANGED -> PLAN;
			default -> null;
		});
	}

}

package dev.switchboard.events;

import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The CloudEvents {@code type} of every event and the topic it is published to. A
 * breaking change is a new record with a new {@code .vN} type; fields are only ever added
 * as optional.
 */
public final class EventTypes {

	public static final String WHATSAPP_MESSAGE_RECEIVED = "dev.switchboard.gateway.whatsapp-message-received.v1";

	public static final String WHATSAPP_STATUS_RECEIVED = "dev.switchboard.gateway.whatsapp-status-received.v1";

	public static final String WHATSAPP_TEMPLATE_UPDATED = "dev.switchboard.gateway.whatsapp-template-updated.v1";

	public static final String MESSAGE_RECEIVED = "dev.switchboard.inbox.message-received.v1";

	public static final String MESSAGE_SENT = "dev.switchboard.inbox.message-sent.v1";

	public static final String MESSAGE_STATUS_CHANGED = "dev.switchboard.inbox.message-status-changed.v1";

	public static final String CONVERSATION_STATUS_CHANGED = "dev.switchboard.inbox.conversation-status-changed.v1";

	public static final String WINDOW_OPENED = "dev.switchboard.routing.window-opened.v1";

	public static final String WINDOW_EXTENDED = "dev.switchboard.routing.window-extended.v1";

	public static final String WINDOW_CLOSING = "dev.switchboard.routing.window-closing.v1";

	public static final String WINDOW_EXPIRED = "dev.switchboard.routing.window-expired.v1";

	public static final String CONVERSATION_ASSIGNED = "dev.switchboard.routing.conversation-assigned.v1";

	public static final String CONVERSATION_QUEUED = "dev.switchboard.routing.conversation-queued.v1";

	public static final String CONVERSATION_ESCALATED = "dev.switchboard.routing.conversation-escalated.v1";

	public static final String PLAN_CHANGED = "dev.switchboard.billing.plan-changed.v1";

	public static final String DEVICE_CHANGED = "dev.switchboard.audit.device-changed.v1";

	private static final Map<Class<? extends SwitchboardEvent>, Registration> BY_CLASS = Stream
		.of(new Registration(WHATSAPP_MESSAGE_RECEIVED, Topics.WHATSAPP_INBOUND, WhatsAppMessageReceived.class),
				new Registration(WHATSAPP_STATUS_RECEIVED, Topics.WHATSAPP_INBOUND, WhatsAppStatusReceived.class),
				new Registration(WHATSAPP_TEMPLATE_UPDATED, Topics.WHATSAPP_INBOUND, WhatsAppTemplateUpdated.class),
				new Registration(MESSAGE_RECEIVED, Topics.INBOX_EVENTS, MessageReceived.class),
				new Registration(MESSAGE_SENT, Topics.INBOX_EVENTS, MessageSent.class),
				new Registration(MESSAGE_STATUS_CHANGED, Topics.INBOX_EVENTS, MessageStatusChanged.class),
				new Registration(CONVERSATION_STATUS_CHANGED, Topics.INBOX_EVENTS, ConversationStatusChanged.class),
				new Registration(WINDOW_OPENED, Topics.ROUTING_EVENTS, WindowOpened.class),
				new Registration(WINDOW_EXTENDED, Topics.ROUTING_EVENTS, WindowExtended.class),
				new Registration(WINDOW_CLOSING, Topics.ROUTING_EVENTS, WindowClosing.class),
				new Registration(WINDOW_EXPIRED, Topics.ROUTING_EVENTS, WindowExpired.class),
				new Registration(CONVERSATION_ASSIGNED, Topics.ROUTING_EVENTS, ConversationAssigned.class),
				new Registration(CONVERSATION_QUEUED, Topics.ROUTING_EVENTS, ConversationQueued.class),
				new Registration(CONVERSATION_ESCALATED, Topics.ROUTING_EVENTS, ConversationEscalated.class),
				new Registration(PLAN_CHANGED, Topics.BILLING_EVENTS, PlanChanged.class),
				new Registration(DEVICE_CHANGED, Topics.AUDIT_EVENTS, DeviceChanged.class))
		.collect(Collectors.toUnmodifiableMap(Registration::eventClass, (registration) -> registration));

	private static final Map<String, Registration> BY_TYPE = BY_CLASS.values()
		.stream()
		.collect(Collectors.toUnmodifiableMap(Registration::type, (registration) -> registration));

	private EventTypes() {
	}

	public static Registration of(SwitchboardEvent event) {
		Registration registration = BY_CLASS.get(event.getClass());
		if (registration == null) {
			throw new IllegalArgumentException("No CloudEvents type registered for " + event.getClass());
		}
		return registration;
	}

	public static Optional<Registration> forType(String type) {
		return Optional.ofNullable(BY_TYPE.get(type));
	}

	/**
	 * How an event class is named and where it travels.
	 *
	 * @param type the CloudEvents type
	 * @param topic the Kafka topic
	 * @param eventClass the record
	 */
	public record Registration(String type, String topic, Class<? extends SwitchboardEvent> eventClass) {

	}

}

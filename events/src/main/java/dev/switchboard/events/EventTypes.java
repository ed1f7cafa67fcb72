package dev.switchboard.events;

import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The CloudEvents {@code type} of every event and the topic it is published to. A
 * breaking change is a new record with a new {@code .vN} type; fields are only ever added
 * as optional.
 */
public final class EventTypes {

	public static final String WHATSAPP_MESSAGE_RECEIVED = "dev.switchboard.gateway.whatsapp-message-received.v1";

	public static final String WHATSAPP_STATUS_RECEIVED = "dev.switchboard.gateway.whatsapp-status-received.v1";

	public static final String MESSAGE_RECEIVED = "dev.switchboard.inbox.message-received.v1";

	public static final String WINDOW_OPENED = "dev.switchboard.routing.window-opened.v1";

	private static final Map<Class<? extends SwitchboardEvent>, Registration> BY_CLASS = Map.of(
			WhatsAppMessageReceived.class,
			new Registration(WHATSAPP_MESSAGE_RECEIVED, Topics.WHATSAPP_INBOUND, WhatsAppMessageReceived.class),
			WhatsAppStatusReceived.class,
			new Registration(WHATSAPP_STATUS_RECEIVED, Topics.WHATSAPP_INBOUND, WhatsAppStatusReceived.class),
			MessageReceived.class, new Registration(MESSAGE_RECEIVED, Topics.INBOX_EVENTS, MessageReceived.class),
			WindowOpened.class, new Registration(WINDOW_OPENED, Topics.ROUTING_EVENTS, WindowOpened.class));

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

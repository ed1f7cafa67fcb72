package dev.switchboard.events;

/**
 * Every Kafka topic of the platform, in one place. Records are keyed by conversation id
 * so that one conversation stays on one partition and in order.
 */
public final class Topics {

	/**
	 * WhatsApp webhook items (messages and statuses) accepted and verified by the
	 * gateway.
	 */
	public static final String WHATSAPP_INBOUND = "switchboard.whatsapp.inbound.v1";

	/** Facts of the shared inbox: messages received and sent, their statuses. */
	public static final String INBOX_EVENTS = "switchboard.inbox.events.v1";

	/** Facts of routing: assignments and the 24-hour customer-service window. */
	public static final String ROUTING_EVENTS = "switchboard.routing.events.v1";

	/** Facts of billing: plan changes. Keyed by tenant. */
	public static final String BILLING_EVENTS = "switchboard.billing.events.v1";

	/** Facts of audit: the device registry. Keyed by tenant. */
	public static final String AUDIT_EVENTS = "switchboard.audit.events.v1";

	/** Every topic, for provisioning. */
	public static final java.util.List<String> ALL = java.util.List.of(WHATSAPP_INBOUND, INBOX_EVENTS, ROUTING_EVENTS,
			BILLING_EVENTS, AUDIT_EVENTS);

	/**
	 * A service's dead-letter topic: the events it could not read or apply, parked with
	 * the reason, as received.
	 * @param service the service's name ({@code spring.application.name})
	 * @return the topic
	 */
	public static String deadLetters(String service) {
		return "switchboard.dlq." + service;
	}

	private Topics() {
	}

}

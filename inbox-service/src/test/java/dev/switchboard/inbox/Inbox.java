package dev.switchboard.inbox;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.function.Supplier;

import org.springframework.test.web.reactive.server.WebTestClient;

import dev.switchboard.events.ConversationIds;
import dev.switchboard.events.DeviceChanged;
import dev.switchboard.events.WhatsAppMessageReceived;
import dev.switchboard.events.WindowOpened;
import dev.switchboard.testsupport.TestEvents;
import dev.switchboard.testsupport.TestIdentity;

/**
 * Plays the rest of the platform for the inbox: the gateway's webhook items, routing's
 * window and audit's devices as events, and callers with the gateway's identity token.
 */
final class Inbox {

	static final String PHONE_NUMBER_ID = "106540352242922";

	private final Supplier<WebTestClient> http;

	private final TestEvents events;

	Inbox(Supplier<WebTestClient> http, TestEvents events) {
		this.http = http;
		this.events = events;
	}

	WebTestClient as(String tenant, String subject, String roles) {
		return this.http.get().mutate().filter(TestIdentity.bearer("inbox-service", tenant, subject, roles)).build();
	}

	/**
	 * The gateway verified a customer's message of any type.
	 * @param tenant the tenant
	 * @param waId the customer
	 * @param type Meta's type
	 * @param typeObject the message's {@code <type>} object as JSON
	 * @param sentAt its WhatsApp timestamp
	 * @return the event
	 */
	WhatsAppMessageReceived customerWrites(String tenant, String waId, String type, String typeObject, Instant sentAt) {
		String wamid = "wamid." + UUID.randomUUID();
		String message = """
				{"from":"%s","id":"%s","timestamp":"%d","type":"%s","%s":%s}""".formatted(waId, wamid,
				sentAt.getEpochSecond(), type, type, typeObject);
		WhatsAppMessageReceived received = new WhatsAppMessageReceived(tenant, ConversationIds.of(tenant, waId),
				PHONE_NUMBER_ID, waId, "Giulia Rossi", wamid, type, sentAt.truncatedTo(ChronoUnit.SECONDS), message);
		this.events.publish(received);
		return received;
	}

	WhatsAppMessageReceived customerWritesText(String tenant, String waId, String text) {
		return customerWrites(tenant, waId, "text", "{\"body\":\"" + text + "\"}", Instant.now());
	}

	/** Routing opened the conversation's window. */
	void windowOpen(String tenant, String conversationId, Instant lastCustomerMessage) {
		this.events.publish(new WindowOpened(tenant, conversationId, lastCustomerMessage,
				lastCustomerMessage.plus(24, ChronoUnit.HOURS)));
	}

	/** Audit registered (or changed) a device. */
	void device(String tenant, String deviceId, String agent, String state, long version) {
		this.events.publish(
				new DeviceChanged(tenant, deviceId, agent, "iPhone " + agent, "PHONE", state, version, Instant.now()));
	}

}

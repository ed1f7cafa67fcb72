package dev.switchboard.billing;

import java.time.Instant;
import java.util.UUID;

import dev.switchboard.events.ConversationAssigned;
import dev.switchboard.events.ConversationIds;
import dev.switchboard.events.MessageReceived;
import dev.switchboard.events.MessageSent;
import dev.switchboard.events.MessageStatusChanged;
import dev.switchboard.events.WhatsAppPricing;
import dev.switchboard.testsupport.TestEvents;

/** Plays the inbox and routing for one customer's conversation of a tenant. */
final class Conversation {

	final String tenant;

	final String waId;

	final String id;

	private final TestEvents events;

	Conversation(TestEvents events, String tenant, String waId) {
		this.events = events;
		this.tenant = tenant;
		this.waId = waId;
		this.id = ConversationIds.of(tenant, waId);
	}

	String customerWrites(Instant at) {
		String wamid = "wamid.in." + UUID.randomUUID();
		this.events.publish(new MessageReceived(this.tenant, this.id, UUID.randomUUID().toString(),
				UUID.randomUUID().toString(), this.waId, wamid, "text", at, "Hello?"));
		return wamid;
	}

	MessageSent reply(String agent, Instant at) {
		return send(agent, "text", null, null, at);
	}

	MessageSent template(String agent, String category, Instant at) {
		return send(agent, "template", "order_update", category, at);
	}

	MessageSent send(String agent, String kind, String templateName, String category, Instant at) {
		MessageSent sent = new MessageSent(this.tenant, this.id, UUID.randomUUID().toString(),
				UUID.randomUUID().toString(), this.waId, "wamid.out." + UUID.randomUUID(), agent, "device-1", kind,
				templateName, category, at);
		this.events.publish(sent);
		return sent;
	}

	String status(MessageSent sent, String status, Instant at) {
		return this.events.publish(new MessageStatusChanged(this.tenant, this.id, sent.messageId(), sent.wamid(),
				status, at, "FAILED".equals(status) ? "131026 Message undeliverable" : null));
	}

	MessageSent delivered(MessageSent sent) {
		status(sent, "SENT", sent.sentAt().plusSeconds(1));
		status(sent, "DELIVERED", sent.sentAt().plusSeconds(2));
		return sent;
	}

	/**
	 * Meta reports the message sent and delivered, with its pricing on both statuses.
	 * @param sent the message
	 * @param pricing Meta's pricing
	 * @return the message
	 */
	MessageSent deliveredPriced(MessageSent sent, WhatsAppPricing pricing) {
		sentPriced(sent, pricing);
		this.events.publish(new MessageStatusChanged(this.tenant, this.id, sent.messageId(), sent.wamid(), "DELIVERED",
				sent.sentAt().plusSeconds(2), null, null, pricing));
		return sent;
	}

	/**
	 * Meta reports the message sent, with its pricing, and nothing more.
	 * @param sent the message
	 * @param pricing Meta's pricing
	 * @return the message
	 */
	MessageSent sentPriced(MessageSent sent, WhatsAppPricing pricing) {
		this.events.publish(new MessageStatusChanged(this.tenant, this.id, sent.messageId(), sent.wamid(), "SENT",
				sent.sentAt().plusSeconds(1), null, null, pricing));
		return sent;
	}

	void assigned(String agent, String team, Instant at) {
		this.events.publish(new ConversationAssigned(this.tenant, this.id, agent, team, "AUTO", null, at));
	}

}

package dev.switchboard.benchmark;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.switchboard.events.ConversationIds;
import dev.switchboard.sandbox.Webhooks;

/**
 * One signed webhook to post.
 *
 * @param body the JSON body
 * @param signature its {@code X-Hub-Signature-256}
 * @param wamid the message id it carries (inbound) or reports on (status)
 * @param conversationId the conversation it belongs to
 * @param inbound whether it carries a customer's message (else a status)
 */
record Webhook(String body, String signature, String wamid, String conversationId, boolean inbound) {

	static Webhook message(String waId, String wamid, Instant sentAt, String text) {
		String body = Webhooks.textMessage(Harness.PHONE_NUMBER_ID, waId, "Customer " + waId, wamid, sentAt, text);
		return new Webhook(body, Webhooks.signature(Harness.APP_SECRET, body), wamid,
				ConversationIds.of(Harness.TENANT, waId), true);
	}

	static Webhook status(String waId, String wamid, String status, Instant at) {
		String body = Webhooks.status(Harness.PHONE_NUMBER_ID, waId, wamid, status, at);
		return new Webhook(body, Webhooks.signature(Harness.APP_SECRET, body), wamid,
				ConversationIds.of(Harness.TENANT, waId), false);
	}

	/**
	 * Customers' text messages: {@code count} messages spread over {@code conversations}
	 * customers, each customer's messages in order.
	 * @param run a prefix that makes the customers and wamids of one run unique
	 * @param count how many messages
	 * @param conversations how many customers
	 * @return the webhooks in posting order
	 */
	static List<Webhook> messages(String run, int count, int conversations) {
		List<Webhook> webhooks = new ArrayList<>(count);
		Instant base = Instant.now().minusSeconds(3600);
		for (int i = 0; i < count; i++) {
			int customer = i % conversations;
			String waId = waId(run, customer);
			webhooks.add(message(waId, "wamid.%s-%d".formatted(run, i), base.plusSeconds(i / conversations),
					"Message %d of customer %d".formatted(i / conversations, customer)));
		}
		return webhooks;
	}

	static String waId(String run, int customer) {
		return "39" + run + "%07d".formatted(customer);
	}

}

package dev.switchboard.events;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A customer's message was stored in the shared inbox (first time only: replays of the
 * same {@code wamid} publish nothing).
 *
 * @param tenantId the tenant
 * @param conversationId the conversation the message belongs to
 * @param messageId the inbox's id of the message
 * @param contactId the inbox's id of the customer
 * @param waId the customer's WhatsApp id
 * @param wamid Meta's message id
 * @param type the message type
 * @param sentAt the message's WhatsApp timestamp: the 24-hour window runs from here
 * @param text the text of a text message, or the caption of media; null otherwise
 * @param contactLabels the labels on the contact when the message arrived (added in v1,
 * optional: null from older producers)
 */
public record MessageReceived(String tenantId, String conversationId, String messageId, String contactId, String waId,
		String wamid, String type, Instant sentAt, @Nullable String text,
		@Nullable List<String> contactLabels) implements InboxEvent {

	public MessageReceived(String tenantId, String conversationId, String messageId, String contactId, String waId,
			String wamid, String type, Instant sentAt, @Nullable String text) {
		this(tenantId, conversationId, messageId, contactId, waId, wamid, type, sentAt, text, null);
	}

}

package dev.switchboard.events;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * An agent's message was accepted by the WhatsApp Cloud API (it has a {@code wamid}).
 *
 * @param tenantId the tenant
 * @param conversationId the conversation
 * @param messageId the inbox's id of the message
 * @param contactId the inbox's id of the customer
 * @param waId the customer's WhatsApp id
 * @param wamid Meta's id of the message, which its status webhooks name
 * @param agentId the subject of the agent who sent it
 * @param deviceId the registered device it was sent from
 * @param kind {@code text}, {@code media} or {@code template}
 * @param templateName the template's name, for a template
 * @param templateCategory {@code MARKETING}, {@code UTILITY} or {@code AUTHENTICATION},
 * for a template
 * @param sentAt when the Cloud API accepted it
 */
public record MessageSent(String tenantId, String conversationId, String messageId, String contactId, String waId,
		String wamid, String agentId, String deviceId, String kind, @Nullable String templateName,
		@Nullable String templateCategory, Instant sentAt) implements InboxEvent {

}

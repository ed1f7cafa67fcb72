package dev.switchboard.events;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * An outbound message reached a status for the first time. Statuses only move forward
 * ({@code SENT} &lt; {@code DELIVERED} &lt; {@code READ}; {@code FAILED} is final); each
 * is published once however often Meta reports it.
 *
 * @param tenantId the tenant
 * @param conversationId the conversation
 * @param messageId the inbox's id of the message
 * @param wamid Meta's id of the message
 * @param status {@code SENT}, {@code DELIVERED}, {@code READ} or {@code FAILED}
 * @param at when it happened, by WhatsApp's clock
 * @param error Meta's error title and code for {@code FAILED}
 */
public record MessageStatusChanged(String tenantId, String conversationId, String messageId, String wamid,
		String status, Instant at, @Nullable String error) implements InboxEvent {

}

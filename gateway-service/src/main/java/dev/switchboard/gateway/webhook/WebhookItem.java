package dev.switchboard.gateway.webhook;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/** One message or status of a WhatsApp Cloud API webhook, before its tenant is known. */
sealed interface WebhookItem {

	String phoneNumberId();

	/** The customer's WhatsApp id: with the tenant, it names the conversation. */
	String waId();

	/**
	 * A message a customer sent.
	 *
	 * @param phoneNumberId the business number it was sent to
	 * @param waId the sender
	 * @param profileName the sender's profile name from {@code contacts}, if any
	 * @param wamid Meta's message id
	 * @param type Meta's message type
	 * @param timestamp when the customer sent it
	 * @param json the message object as Meta sent it
	 */
	record Inbound(String phoneNumberId, String waId, @Nullable String profileName, String wamid, String type,
			Instant timestamp, String json) implements WebhookItem {
	}

	/**
	 * A status of a message the business sent.
	 *
	 * @param phoneNumberId the business number that sent it
	 * @param waId the recipient
	 * @param wamid the message's id
	 * @param status {@code sent}, {@code delivered}, {@code read} or {@code failed}
	 * @param timestamp when the status happened
	 * @param json the status object as Meta sent it
	 */
	record Status(String phoneNumberId, String waId, String wamid, String status, Instant timestamp,
			String json) implements WebhookItem {
	}

}

package dev.switchboard.gateway.webhook;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.switchboard.events.WhatsAppError;
import dev.switchboard.events.WhatsAppPricing;

/**
 * One item of a WhatsApp Cloud API webhook, before its tenant is known: a message or a
 * status (field {@code messages}, naming a phone number), or an update of the business
 * account (naming only the WhatsApp Business Account).
 */
sealed interface WebhookItem {

	/** An item of field {@code messages}: its tenant is found by the phone number. */
	sealed interface OfPhoneNumber extends WebhookItem {

		String phoneNumberId();

		/**
		 * The customer's WhatsApp id: with the tenant, it names the conversation.
		 * @return the id
		 */
		String waId();

	}

	/** An account-level item: its tenant is found by the WhatsApp Business Account. */
	sealed interface OfAccount extends WebhookItem {

		String wabaId();

		String field();

	}

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
			Instant timestamp, String json) implements OfPhoneNumber {
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
	 * @param errors Meta's {@code errors[]}, null when none
	 * @param pricing Meta's {@code pricing}, if any
	 */
	record Status(String phoneNumberId, String waId, String wamid, String status, Instant timestamp, String json,
			@Nullable List<WhatsAppError> errors, @Nullable WhatsAppPricing pricing) implements OfPhoneNumber {
	}

	/**
	 * A change of one of the account's message templates: its status, quality or
	 * category.
	 *
	 * @param wabaId the WhatsApp Business Account ({@code entry[].id})
	 * @param field the webhook field
	 * @param templateId Meta's template id
	 * @param name the template name
	 * @param language its language, as {@code en_US}
	 * @param status the new status ({@code event}), for a status update
	 * @param category the category, when named
	 * @param quality the new quality score, for a quality update
	 * @param reason why, for a rejection
	 * @param timestamp {@code entry[].time}
	 * @param json the change's {@code value} as Meta sent it
	 */
	record TemplateUpdate(String wabaId, String field, String templateId, String name, String language,
			@Nullable String status, @Nullable String category, @Nullable String quality, @Nullable String reason,
			Instant timestamp, String json) implements OfAccount {
	}

	/**
	 * Any other field (account, phone number quality, alerts, capabilities, ...):
	 * recorded and otherwise ignored.
	 *
	 * @param wabaId the WhatsApp Business Account ({@code entry[].id})
	 * @param field the webhook field
	 * @param timestamp {@code entry[].time}
	 * @param json the change's {@code value} as Meta sent it
	 */
	record Notice(String wabaId, String field, Instant timestamp, String json) implements OfAccount {
	}

}

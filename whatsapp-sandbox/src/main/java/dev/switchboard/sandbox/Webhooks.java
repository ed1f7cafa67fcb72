package dev.switchboard.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * WhatsApp Cloud API webhook bodies as Meta sends them, and Meta's
 * {@code X-Hub-Signature-256}.
 */
public final class Webhooks {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private Webhooks() {
	}

	/**
	 * A webhook carrying one text message from a customer.
	 * @param phoneNumberId the business number's id
	 * @param from the customer's WhatsApp id
	 * @param profileName the customer's profile name
	 * @param wamid the message id
	 * @param sentAt when the customer sent it
	 * @param text the text
	 * @return the JSON body
	 */
	public static String textMessage(String phoneNumberId, String from, String profileName, String wamid,
			Instant sentAt, String text) {
		ObjectNode message = JSON.createObjectNode()
			.put("from", from)
			.put("id", wamid)
			.put("timestamp", Long.toString(sentAt.getEpochSecond()))
			.put("type", "text");
		message.putObject("text").put("body", text);
		return message(phoneNumberId, from, profileName, message);
	}

	/**
	 * A webhook carrying one message object of any type from a customer.
	 * @param phoneNumberId the business number's id
	 * @param from the customer's WhatsApp id
	 * @param profileName the customer's profile name
	 * @param message the {@code messages[]} object
	 * @return the JSON body
	 */
	public static String message(String phoneNumberId, String from, String profileName, ObjectNode message) {
		ObjectNode value = value(phoneNumberId);
		ObjectNode contact = value.putArray("contacts").addObject();
		contact.putObject("profile").put("name", profileName);
		contact.put("wa_id", from);
		value.putArray("messages").add(message);
		return envelope(value);
	}

	/**
	 * A webhook carrying one status of an outbound message.
	 * @param phoneNumberId the business number's id
	 * @param recipient the customer's WhatsApp id
	 * @param wamid the message id
	 * @param status sent, delivered, read or failed
	 * @param at when it happened
	 * @return the JSON body
	 */
	public static String status(String phoneNumberId, String recipient, String wamid, String status, Instant at) {
		return status(phoneNumberId, recipient, wamid, status, at, null);
	}

	/**
	 * A webhook carrying one status of an outbound message, with Meta's pricing.
	 * @param phoneNumberId the business number's id
	 * @param recipient the customer's WhatsApp id
	 * @param wamid the message id
	 * @param status sent, delivered, read or failed ({@code errors[]} 131026, message
	 * undeliverable)
	 * @param at when it happened
	 * @param pricing Meta's {@code pricing} object, or null for none
	 * @return the JSON body
	 */
	public static String status(String phoneNumberId, String recipient, String wamid, String status, Instant at,
			@Nullable Pricing pricing) {
		ObjectNode value = value(phoneNumberId);
		ObjectNode item = value.putArray("statuses")
			.addObject()
			.put("id", wamid)
			.put("status", status)
			.put("timestamp", Long.toString(at.getEpochSecond()))
			.put("recipient_id", recipient);
		if ("failed".equals(status)) {
			ObjectNode error = item.putArray("errors")
				.addObject()
				.put("code", 131026)
				.put("title", "Message undeliverable")
				.put("message", "Message undeliverable");
			error.putObject("error_data")
				.put("details", "Message Undeliverable: the recipient's phone number is not a WhatsApp number, "
						+ "or the recipient has not accepted the terms of service.");
			error.put("href", "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/");
		}
		if (pricing != null) {
			item.putObject("pricing")
				.put("billable", pricing.billable())
				.put("pricing_model", "PMP")
				.put("category", pricing.category())
				.put("type", pricing.type());
		}
		return envelope(value);
	}

	/**
	 * A {@code message_template_status_update} webhook: Meta reviewed a template.
	 * @param wabaId the WhatsApp Business Account id
	 * @param templateId Meta's template id
	 * @param name the template's name
	 * @param language its language, as {@code en_US}
	 * @param event {@code APPROVED}, {@code REJECTED}, {@code PAUSED}, ...
	 * @param category {@code MARKETING}, {@code UTILITY} or {@code AUTHENTICATION}, or
	 * null
	 * @param reason the rejection reason, {@code NONE} otherwise
	 * @param at when Meta reported it
	 * @return the JSON body
	 */
	public static String templateStatus(String wabaId, long templateId, String name, String language, String event,
			@Nullable String category, String reason, Instant at) {
		ObjectNode value = JSON.createObjectNode()
			.put("event", event)
			.put("message_template_id", templateId)
			.put("message_template_name", name)
			.put("message_template_language", language)
			.put("reason", reason);
		if (category != null) {
			value.put("message_template_category", category);
		}
		return accountEnvelope(wabaId, at, "message_template_status_update", value);
	}

	/**
	 * A {@code message_template_quality_update} webhook: a template's quality rating
	 * changed.
	 * @param wabaId the WhatsApp Business Account id
	 * @param templateId Meta's template id
	 * @param name the template's name
	 * @param language its language
	 * @param previous the previous score
	 * @param score the new score ({@code GREEN}, {@code YELLOW}, {@code RED})
	 * @param at when Meta reported it
	 * @return the JSON body
	 */
	public static String templateQuality(String wabaId, long templateId, String name, String language, String previous,
			String score, Instant at) {
		ObjectNode value = JSON.createObjectNode()
			.put("previous_quality_score", previous)
			.put("new_quality_score", score)
			.put("message_template_id", templateId)
			.put("message_template_name", name)
			.put("message_template_language", language);
		return accountEnvelope(wabaId, at, "message_template_quality_update", value);
	}

	/**
	 * The {@code X-Hub-Signature-256} value Meta would send.
	 * @param appSecret the app secret
	 * @param body the body
	 * @return {@code sha256=<hex>}
	 */
	public static String signature(String appSecret, String body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(appSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String accountEnvelope(String wabaId, Instant at, String field, ObjectNode value) {
		ObjectNode root = JSON.createObjectNode().put("object", "whatsapp_business_account");
		ArrayNode changes = root.putArray("entry")
			.addObject()
			.put("id", wabaId)
			.put("time", at.getEpochSecond())
			.putArray("changes");
		changes.addObject().set("value", value);
		((ObjectNode) changes.get(0)).put("field", field);
		return JSON.writeValueAsString(root);
	}

	/**
	 * Meta's {@code statuses[].pricing} (pricing model {@code PMP}).
	 *
	 * @param billable whether Meta bills the message
	 * @param category {@code service}, {@code utility}, {@code marketing},
	 * {@code authentication}
	 * @param type {@code regular}, {@code free_customer_service} or
	 * {@code free_entry_point}
	 */
	public record Pricing(boolean billable, String category, String type) {

	}

	private static ObjectNode value(String phoneNumberId) {
		ObjectNode value = JSON.createObjectNode().put("messaging_product", "whatsapp");
		value.putObject("metadata").put("display_phone_number", "15550783881").put("phone_number_id", phoneNumberId);
		return value;
	}

	private static String envelope(ObjectNode value) {
		ObjectNode root = JSON.createObjectNode().put("object", "whatsapp_business_account");
		ArrayNode changes = root.putArray("entry").addObject().put("id", "102290129340398").putArray("changes");
		changes.addObject().put("field", "messages").set("value", value);
		return JSON.writeValueAsString(root);
	}

}

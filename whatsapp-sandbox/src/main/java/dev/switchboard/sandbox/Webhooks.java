package dev.switchboard.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

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
		ObjectNode value = value(phoneNumberId);
		ObjectNode item = value.putArray("statuses")
			.addObject()
			.put("id", wamid)
			.put("status", status)
			.put("timestamp", Long.toString(at.getEpochSecond()))
			.put("recipient_id", recipient);
		if ("failed".equals(status)) {
			item.putArray("errors")
				.addObject()
				.put("code", 131026)
				.put("title", "Message undeliverable")
				.put("message", "Message undeliverable");
		}
		return envelope(value);
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

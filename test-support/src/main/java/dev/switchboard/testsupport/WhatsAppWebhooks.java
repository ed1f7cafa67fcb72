package dev.switchboard.testsupport;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Builds WhatsApp Cloud API webhook bodies the way Meta sends them, and signs them the
 * way Meta does ({@code X-Hub-Signature-256}).
 */
public final class WhatsAppWebhooks {

	private WhatsAppWebhooks() {
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
		return """
				{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages",
				"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881",
				"phone_number_id":"%s"},"contacts":[{"profile":{"name":"%s"},"wa_id":"%s"}],
				"messages":[{"from":"%s","id":"%s","timestamp":"%d","type":"text","text":{"body":"%s"}}]}}]}]}"""
			.formatted(phoneNumberId, profileName, from, from, wamid, sentAt.getEpochSecond(), text);
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
		return """
				{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages",
				"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881",
				"phone_number_id":"%s"},"statuses":[{"id":"%s","status":"%s","timestamp":"%d","recipient_id":"%s"}]}}]}]}"""
			.formatted(phoneNumberId, wamid, status, at.getEpochSecond(), recipient);
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

}

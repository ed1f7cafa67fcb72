package dev.switchboard.testsupport;

import java.time.Instant;

import dev.switchboard.sandbox.Webhooks;

/**
 * Builds WhatsApp Cloud API webhook bodies the way Meta sends them, and signs them the
 * way Meta does ({@code X-Hub-Signature-256}): the sandbox's {@link Webhooks}, under the
 * name the tests use.
 */
public final class WhatsAppWebhooks {

	private WhatsAppWebhooks() {
	}

	public static String textMessage(String phoneNumberId, String from, String profileName, String wamid,
			Instant sentAt, String text) {
		return Webhooks.textMessage(phoneNumberId, from, profileName, wamid, sentAt, text);
	}

	public static String status(String phoneNumberId, String recipient, String wamid, String status, Instant at) {
		return Webhooks.status(phoneNumberId, recipient, wamid, status, at);
	}

	public static String signature(String appSecret, String body) {
		return Webhooks.signature(appSecret, body);
	}

}

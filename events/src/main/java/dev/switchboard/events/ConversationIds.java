package dev.switchboard.events;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * A conversation is the chat between a tenant's business number and one customer. Its id
 * is derived from the two, so the gateway can key records by it before any service has
 * stored it.
 */
public final class ConversationIds {

	private ConversationIds() {
	}

	public static String of(String tenantId, String waId) {
		return UUID.nameUUIDFromBytes(("whatsapp:" + tenantId + ":" + waId).getBytes(StandardCharsets.UTF_8))
			.toString();
	}

}

package dev.switchboard.gateway.webhook;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads Meta's WhatsApp Cloud API webhook payload: {@code entry[].changes[].value} with
 * {@code metadata.phone_number_id}, {@code contacts}, {@code messages} and
 * {@code statuses}. Anything that does not fit is refused whole, so a webhook is either
 * published entirely or not at all.
 */
final class WebhookParser {

	private final JsonMapper json;

	WebhookParser(JsonMapper json) {
		this.json = json;
	}

	List<WebhookItem> parse(byte[] body) {
		JsonNode root;
		try {
			root = this.json.readTree(body);
		}
		catch (JacksonException ex) {
			throw malformed("The body is not JSON: " + ex.getOriginalMessage());
		}
		if (root == null || !"whatsapp_business_account".equals(root.path("object").asString(null))) {
			throw malformed("object must be \"whatsapp_business_account\"");
		}
		List<WebhookItem> items = new ArrayList<>();
		for (JsonNode entry : array(root, "entry", "")) {
			for (JsonNode change : array(entry, "changes", "entry[]")) {
				JsonNode value = change.path("value");
				if (!value.isObject()) {
					throw malformed("entry[].changes[].value must be an object");
				}
				String phoneNumberId = text(value.path("metadata"), "phone_number_id", "value.metadata");
				Map<String, String> profileNames = new HashMap<>();
				for (JsonNode contact : optionalArray(value, "contacts")) {
					String name = contact.path("profile").path("name").asString(null);
					if (name != null) {
						profileNames.put(text(contact, "wa_id", "value.contacts[]"), name);
					}
				}
				for (JsonNode message : optionalArray(value, "messages")) {
					String from = text(message, "from", "value.messages[]");
					items.add(new WebhookItem.Inbound(phoneNumberId, from, profileNames.get(from),
							text(message, "id", "value.messages[]"), text(message, "type", "value.messages[]"),
							timestamp(message, "value.messages[]"), message.toString()));
				}
				for (JsonNode status : optionalArray(value, "statuses")) {
					items.add(new WebhookItem.Status(phoneNumberId, text(status, "recipient_id", "value.statuses[]"),
							text(status, "id", "value.statuses[]"), text(status, "status", "value.statuses[]"),
							timestamp(status, "value.statuses[]"), status.toString()));
				}
			}
		}
		return items;
	}

	private static Iterable<JsonNode> array(JsonNode parent, String field, String where) {
		JsonNode node = parent.path(field);
		if (!node.isArray()) {
			throw malformed(where + (where.isEmpty() ? "" : ".") + field + " must be an array");
		}
		return node;
	}

	private static Iterable<JsonNode> optionalArray(JsonNode parent, String field) {
		JsonNode node = parent.path(field);
		if (node.isMissingNode() || node.isNull()) {
			return List.of();
		}
		if (!node.isArray()) {
			throw malformed("value." + field + " must be an array");
		}
		return node;
	}

	private static String text(JsonNode parent, String field, String where) {
		@Nullable String value = parent.path(field).asString(null);
		if (value == null || value.isBlank() || !parent.path(field).isString()) {
			throw malformed(where + "." + field + " is required");
		}
		return value;
	}

	private static Instant timestamp(JsonNode parent, String where) {
		String value = text(parent, "timestamp", where);
		try {
			return Instant.ofEpochSecond(Long.parseLong(value));
		}
		catch (NumberFormatException ex) {
			throw malformed(where + ".timestamp must be Unix seconds, was \"" + value + "\"");
		}
	}

	private static WebhookRejectedException malformed(String detail) {
		return new WebhookRejectedException(HttpStatus.BAD_REQUEST, "malformed", detail);
	}

}

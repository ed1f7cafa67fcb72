package dev.switchboard.gateway.webhook;

import java.time.Clock;
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

import dev.switchboard.events.WhatsAppError;
import dev.switchboard.events.WhatsAppPricing;

/**
 * Reads Meta's WhatsApp Cloud API webhook payload, {@code entry[].changes[]} by
 * {@code field}: {@code messages} (with {@code metadata.phone_number_id},
 * {@code contacts}, {@code messages} and {@code statuses}), the template updates, and
 * every other field as a notice of its account ({@code entry[].id}). Anything that does
 * not fit is refused whole, so a webhook is either published entirely or not at all.
 */
final class WebhookParser {

	static final String MESSAGES = "messages";

	static final String TEMPLATE_STATUS = "message_template_status_update";

	static final String TEMPLATE_QUALITY = "message_template_quality_update";

	static final String TEMPLATE_CATEGORY = "template_category_update";

	private final JsonMapper json;

	private final Clock clock;

	WebhookParser(JsonMapper json, Clock clock) {
		this.json = json;
		this.clock = clock;
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
				String field = change.path("field").asString(MESSAGES);
				switch (field) {
					case MESSAGES -> messages(value, items);
					case TEMPLATE_STATUS, TEMPLATE_QUALITY, TEMPLATE_CATEGORY ->
						items.add(template(entry, field, value));
					default -> items.add(new WebhookItem.Notice(wabaId(entry), field, time(entry), value.toString()));
				}
			}
		}
		return items;
	}

	private static void messages(JsonNode value, List<WebhookItem> items) {
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
					timestamp(status, "value.statuses[]"), status.toString(), errors(status), pricing(status)));
		}
	}

	private static @Nullable List<WhatsAppError> errors(JsonNode status) {
		JsonNode errors = status.path("errors");
		if (!errors.isArray() || errors.isEmpty()) {
			return null;
		}
		List<WhatsAppError> read = new ArrayList<>();
		for (JsonNode error : errors) {
			read.add(new WhatsAppError(error.path("code").asInt(0), error.path("title").asString(null),
					error.path("message").asString(null), error.path("error_data").path("details").asString(null)));
		}
		return List.copyOf(read);
	}

	private static @Nullable WhatsAppPricing pricing(JsonNode status) {
		JsonNode pricing = status.path("pricing");
		if (!pricing.isObject()) {
			return null;
		}
		JsonNode billable = pricing.path("billable");
		return new WhatsAppPricing(billable.isBoolean() ? billable.asBoolean() : null,
				pricing.path("category").asString(null), pricing.path("pricing_model").asString(null),
				pricing.path("type").asString(null));
	}

	/**
	 * A template's status, quality or category change. Meta names the language
	 * {@code en_US} or {@code en-US}; it is kept as {@code en_US}, as the Cloud API's
	 * send takes it.
	 */
	private WebhookItem.TemplateUpdate template(JsonNode entry, String field, JsonNode value) {
		String where = "value (" + field + ")";
		JsonNode id = value.path("message_template_id");
		if (!id.isNumber() && !id.isString()) {
			throw malformed(where + ".message_template_id is required");
		}
		String language = text(value, "message_template_language", where).replace('-', '_');
		String category = value.path("message_template_category").asString(value.path("new_category").asString(null));
		return new WebhookItem.TemplateUpdate(wabaId(entry), field, id.asString(),
				text(value, "message_template_name", where), language,
				TEMPLATE_STATUS.equals(field) ? text(value, "event", where) : null, upper(category),
				upper(value.path("new_quality_score").asString(null)), value.path("reason").asString(null), time(entry),
				value.toString());
	}

	private static @Nullable String upper(@Nullable String value) {
		return (value != null) ? value.toUpperCase(java.util.Locale.ROOT) : null;
	}

	private static String wabaId(JsonNode entry) {
		return text(entry, "id", "entry[]");
	}

	/** {@code entry[].time}, Unix seconds; now where Meta left it out. */
	private Instant time(JsonNode entry) {
		JsonNode time = entry.path("time");
		return time.canConvertToLong() ? Instant.ofEpochSecond(time.asLong()) : this.clock.instant();
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

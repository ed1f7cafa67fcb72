package dev.switchboard.inbox.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the inbox reads from one of Meta's inbound message objects. The whole object is
 * stored as well; these are the fields the inbox shows and searches.
 *
 * @param type Meta's type, or {@code unsupported} for a type the inbox does not know
 * @param originalType Meta's type when it was stored as {@code unsupported}
 * @param body the text: a text message's body, a caption, a button's or list row's title,
 * a reaction's emoji, a location's name and address, shared contacts' names
 * @param mediaId Meta's media id for image, audio, video, document and sticker
 * @param mimeType the media's MIME type
 */
record InboundMessage(String type, @Nullable String originalType, @Nullable String body, @Nullable String mediaId,
		@Nullable String mimeType) {

	static final Set<String> TYPES = Set.of("text", "image", "audio", "video", "document", "sticker", "location",
			"contacts", "interactive", "button", "reaction", "unsupported");

	private static final Set<String> MEDIA = Set.of("image", "audio", "video", "document", "sticker");

	static InboundMessage parse(JsonMapper json, String type, String message) {
		JsonNode node = json.readTree(message);
		if (!TYPES.contains(type)) {
			return new InboundMessage("unsupported", type, null, null, null);
		}
		if (MEDIA.contains(type)) {
			JsonNode media = node.path(type);
			return new InboundMessage(type, null, media.path("caption").asString(null), media.path("id").asString(null),
					media.path("mime_type").asString(null));
		}
		String body = switch (type) {
			case "text" -> node.path("text").path("body").asString(null);
			case "location" -> location(node.path("location"));
			case "contacts" -> contacts(node.path("contacts"));
			case "interactive" -> interactive(node.path("interactive"));
			case "button" -> node.path("button").path("text").asString(null);
			case "reaction" -> node.path("reaction").path("emoji").asString(null);
			default -> null;
		};
		return new InboundMessage(type, null, body, null, null);
	}

	private static @Nullable String location(JsonNode location) {
		List<String> parts = new ArrayList<>();
		addIfPresent(parts, location.path("name").asString(null));
		addIfPresent(parts, location.path("address").asString(null));
		if (location.has("latitude") && location.has("longitude")) {
			parts.add(location.path("latitude").asString() + "," + location.path("longitude").asString());
		}
		return parts.isEmpty() ? null : String.join(" — ", parts);
	}

	private static @Nullable String contacts(JsonNode contacts) {
		List<String> names = new ArrayList<>();
		for (JsonNode contact : contacts) {
			addIfPresent(names, contact.path("name").path("formatted_name").asString(null));
		}
		return names.isEmpty() ? null : String.join(", ", names);
	}

	private static @Nullable String interactive(JsonNode interactive) {
		String kind = interactive.path("type").asString("");
		return interactive.path(kind).path("title").asString(null);
	}

	private static void addIfPresent(List<String> parts, @Nullable String value) {
		if (value != null && !value.isBlank()) {
			parts.add(value);
		}
	}

}

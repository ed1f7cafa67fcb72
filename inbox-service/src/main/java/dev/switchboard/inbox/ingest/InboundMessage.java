package dev.switchboard.inbox.ingest;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the inbox reads from one of Meta's inbound message objects.
 *
 * @param type Meta's type, or {@code unsupported} for a type the inbox does not know
 * @param body the text of a text message or the caption of media, if any
 */
record InboundMessage(String type, @Nullable String body) {

	static InboundMessage parse(JsonMapper json, String type, String message) {
		JsonNode node = json.readTree(message);
		String body = switch (type) {
			case "text" -> node.path("text").path("body").asString(null);
			case "image", "video", "document" -> node.path(type).path("caption").asString(null);
			default -> null;
		};
		return new InboundMessage(type, body);
	}

}

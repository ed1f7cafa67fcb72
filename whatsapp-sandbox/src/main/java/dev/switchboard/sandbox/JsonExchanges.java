package dev.switchboard.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import com.sun.net.httpserver.HttpExchange;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and answers the sandbox's HTTP exchanges in JSON, errors in the Graph API's
 * shape.
 */
final class JsonExchanges {

	private final JsonMapper json;

	JsonExchanges(JsonMapper json) {
		this.json = json;
	}

	JsonMapper json() {
		return this.json;
	}

	/**
	 * @return the request's JSON, an empty object for an empty body
	 */
	JsonNode read(HttpExchange exchange) throws IOException {
		try (InputStream in = exchange.getRequestBody()) {
			byte[] body = in.readAllBytes();
			return (body.length == 0) ? this.json.createObjectNode() : this.json.readTree(body);
		}
	}

	/**
	 * Answers with a status and a JSON body, or none.
	 */
	void respond(HttpExchange exchange, int status, @Nullable JsonNode body) throws IOException {
		if (body == null) {
			exchange.sendResponseHeaders(status, -1);
			return;
		}
		byte[] bytes = this.json.writeValueAsBytes(body);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	/**
	 * @return a Graph API error with Meta's code
	 */
	ObjectNode error(int code, String message) {
		ObjectNode root = this.json.createObjectNode();
		root.putObject("error").put("message", message).put("type", "OAuthException").put("code", code);
		return root;
	}

}

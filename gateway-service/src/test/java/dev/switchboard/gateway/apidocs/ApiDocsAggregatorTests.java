package dev.switchboard.gateway.apidocs;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The merged API document with parts served by real HTTP servers, one of which stops
 * answering and one of which never did.
 */
class ApiDocsAggregatorTests {

	private final AtomicBoolean inboxAnswers = new AtomicBoolean(true);

	private final HttpServer gateway = serve("/own", () -> true);

	private final HttpServer inbox = serve("/conversations", this.inboxAnswers::get);

	@AfterEach
	void stop() {
		this.gateway.stop(0);
		this.inbox.stop(0);
	}

	@Test
	void whenAServiceThatAnsweredBeforeDoesNotAnswerThenItsLastDocumentIsUsedAndNamedStale() throws IOException {
		Map<String, String> sources = new LinkedHashMap<>();
		sources.put("gateway-service", url(this.gateway));
		sources.put("inbox-service", url(this.inbox));
		sources.put("routing-service", "http://127.0.0.1:" + closedPort() + "/v3/api-docs");
		ApiDocsAggregator aggregator = new ApiDocsAggregator(JsonMapper.builder().build(), () -> sources);

		JsonNode first = aggregator.platformDocument().block();
		assertThat(first.path("paths").propertyNames()).containsExactly("/own", "/conversations");
		assertThat(first.path("x-switchboard-unavailable").toString()).isEqualTo("[\"routing-service\"]");
		assertThat(first.has("x-switchboard-stale")).isFalse();

		this.inboxAnswers.set(false);
		JsonNode second = aggregator.platformDocument().block();
		assertThat(second.path("paths").propertyNames()).containsExactly("/own", "/conversations");
		assertThat(second.path("components").path("schemas").propertyNames()).contains("Conversations");
		assertThat(second.path("x-switchboard-stale").toString()).isEqualTo("[\"inbox-service\"]");
		assertThat(second.path("x-switchboard-unavailable").toString()).isEqualTo("[\"routing-service\"]");

		this.inboxAnswers.set(true);
		assertThat(aggregator.platformDocument().block().has("x-switchboard-stale")).isFalse();
	}

	private static String url(HttpServer server) {
		return "http://127.0.0.1:" + server.getAddress().getPort() + "/v3/api-docs";
	}

	private static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private static HttpServer serve(String path, java.util.function.BooleanSupplier answers) {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			String schema = path.substring(1, 2).toUpperCase() + path.substring(2);
			byte[] document = """
					{"openapi":"3.1.0","paths":{"%s":{"get":{"operationId":"%s"}}},
					 "components":{"schemas":{"%s":{"type":"object"}}}}""".formatted(path, schema, schema)
				.getBytes(StandardCharsets.UTF_8);
			server.createContext("/v3/api-docs", (exchange) -> {
				if (answers.getAsBoolean()) {
					exchange.getResponseHeaders().add("Content-Type", "application/json");
					exchange.sendResponseHeaders(200, document.length);
					exchange.getResponseBody().write(document);
				}
				else {
					exchange.sendResponseHeaders(503, -1);
				}
				exchange.close();
			});
			server.start();
			return server;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}

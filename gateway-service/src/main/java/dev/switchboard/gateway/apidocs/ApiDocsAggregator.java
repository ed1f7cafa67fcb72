package dev.switchboard.gateway.apidocs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.swagger.v3.oas.annotations.Hidden;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One OpenAPI document for the whole platform at {@code /v3/api-docs}: the gateway's own
 * (served by springdoc at {@code /v3/api-docs/gateway}) merged with every service's
 * {@code /v3/api-docs}, with the bearer-token and API-key security schemes. The parts are
 * asked for at once, on every request (a service's document changes when it is deployed).
 * A service that does not answer within {@link #TIMEOUT} is given by the last document it
 * gave this gateway, and listed in {@code x-switchboard-stale}; one that never answered
 * is listed in {@code x-switchboard-unavailable}. Neither fails the whole document.
 */
@RestController
@Hidden
class ApiDocsAggregator {

	private static final Logger logger = LoggerFactory.getLogger(ApiDocsAggregator.class);

	/** How long a service's document is waited for. */
	static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final WebClient http;

	private final JsonMapper json;

	private final Supplier<Map<String, String>> sources;

	/** The last document each service gave, by service. */
	private final Map<String, JsonNode> lastGiven = new ConcurrentHashMap<>();

	@Autowired
	ApiDocsAggregator(JsonMapper json, WebServerApplicationContext context,
			@Value("${switchboard.services.inbox}") String inbox,
			@Value("${switchboard.services.routing}") String routing,
			@Value("${switchboard.services.audit}") String audit,
			@Value("${switchboard.services.billing}") String billing) {
		// The gateway's own port is known only once its server has started.
		this(json, () -> {
			Map<String, String> sources = new LinkedHashMap<>();
			sources.put("gateway-service",
					"http://localhost:" + context.getWebServer().getPort() + "/v3/api-docs/gateway");
			sources.put("inbox-service", inbox + "/v3/api-docs");
			sources.put("routing-service", routing + "/v3/api-docs");
			sources.put("audit-service", audit + "/v3/api-docs");
			sources.put("billing-service", billing + "/v3/api-docs");
			return sources;
		});
	}

	/**
	 * @param json the mapper
	 * @param sources where each part's document is, by service, in the merged order
	 */
	ApiDocsAggregator(JsonMapper json, Supplier<Map<String, String>> sources) {
		this.http = WebClient.create();
		this.json = json;
		this.sources = sources;
	}

	@GetMapping(path = "/v3/api-docs", produces = MediaType.APPLICATION_JSON_VALUE)
	Mono<JsonNode> platformDocument() {
		Map<String, String> sources = this.sources.get();
		return Flux.fromIterable(sources.entrySet())
			.flatMapSequential((source) -> fetch(source.getKey(), source.getValue()), sources.size())
			.collectList()
			.map(this::merge);
	}

	private Mono<Fetched> fetch(String service, String url) {
		return this.http.get().uri(url).retrieve().bodyToMono(JsonNode.class).timeout(TIMEOUT).map((document) -> {
			this.lastGiven.put(service, document);
			return new Fetched(service, document, false);
		}).onErrorResume((ex) -> {
			JsonNode last = this.lastGiven.get(service);
			logger.warn("OpenAPI document of {} at {} is unavailable ({}): {}", service, url,
					(last != null) ? "the last one it gave is used" : "left out", ex.toString());
			return Mono.just(new Fetched(service, last, last != null));
		});
	}

	private JsonNode merge(List<Fetched> documents) {
		ObjectNode merged = this.json.createObjectNode();
		merged.put("openapi", "3.1.0");
		ObjectNode info = merged.putObject("info");
		info.put("title", "Switchboard API");
		info.put("version", "v1");
		info.put("description",
				"The whole platform through its gateway. Authenticate with a bearer JWT "
						+ "(claims sub, tenant, roles) or an X-Api-Key; WhatsApp webhooks are authenticated by "
						+ "X-Hub-Signature-256 instead.");
		merged.putArray("servers").addObject().put("url", "/");
		ObjectNode paths = merged.putObject("paths");
		ObjectNode components = merged.putObject("components");
		ObjectNode schemas = components.putObject("schemas");
		ObjectNode schemes = components.putObject("securitySchemes");
		schemes.putObject("bearer").put("type", "http").put("scheme", "bearer").put("bearerFormat", "JWT");
		schemes.putObject("apiKey").put("type", "apiKey").put("in", "header").put("name", "X-Api-Key");
		ArrayNode security = merged.putArray("security");
		security.addObject().putArray("bearer");
		security.addObject().putArray("apiKey");
		List<String> unavailable = new ArrayList<>();
		List<String> stale = new ArrayList<>();
		for (Fetched fetched : documents) {
			if (fetched.document() == null) {
				unavailable.add(fetched.service());
				continue;
			}
			if (fetched.stale()) {
				stale.add(fetched.service());
			}
			for (Map.Entry<String, JsonNode> path : fetched.document().path("paths").properties()) {
				if (!path.getKey().startsWith("/fallback")) {
					paths.set(path.getKey(), path.getValue());
				}
			}
			for (Map.Entry<String, JsonNode> schema : fetched.document()
				.path("components")
				.path("schemas")
				.properties()) {
				schemas.set(schema.getKey(), schema.getValue());
			}
		}
		if (!unavailable.isEmpty()) {
			ArrayNode missing = merged.putArray("x-switchboard-unavailable");
			unavailable.forEach(missing::add);
		}
		if (!stale.isEmpty()) {
			ArrayNode old = merged.putArray("x-switchboard-stale");
			stale.forEach(old::add);
		}
		return merged;
	}

	/**
	 * A part of the document.
	 *
	 * @param service whose
	 * @param document its document, null if it never gave one
	 * @param stale whether it is the last one given, the service not answering now
	 */
	private record Fetched(String service, @Nullable JsonNode document, boolean stale) {
	}

}

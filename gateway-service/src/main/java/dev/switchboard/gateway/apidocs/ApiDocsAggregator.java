package dev.switchboard.gateway.apidocs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.Hidden;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 * {@code /v3/api-docs}, with the bearer-token and API-key security schemes. A service
 * that does not answer is listed in {@code x-switchboard-unavailable} instead of failing
 * the whole document.
 */
@RestController
@Hidden
class ApiDocsAggregator {

	private static final Logger logger = LoggerFactory.getLogger(ApiDocsAggregator.class);

	private final WebClient http;

	private final JsonMapper json;

	private final Map<String, String> services;

	private final WebServerApplicationContext context;

	ApiDocsAggregator(JsonMapper json, WebServerApplicationContext context,
			@Value("${switchboard.services.inbox}") String inbox,
			@Value("${switchboard.services.routing}") String routing,
			@Value("${switchboard.services.audit}") String audit,
			@Value("${switchboard.services.billing}") String billing) {
		this.http = WebClient.create();
		this.json = json;
		this.context = context;
		this.services = new LinkedHashMap<>();
		this.services.put("inbox-service", inbox);
		this.services.put("routing-service", routing);
		this.services.put("audit-service", audit);
		this.services.put("billing-service", billing);
	}

	@GetMapping(path = "/v3/api-docs", produces = MediaType.APPLICATION_JSON_VALUE)
	Mono<JsonNode> platformDocument() {
		Map<String, String> sources = new LinkedHashMap<>();
		sources.put("gateway-service",
				"http://localhost:" + this.context.getWebServer().getPort() + "/v3/api-docs/gateway");
		this.services.forEach((name, url) -> sources.put(name, url + "/v3/api-docs"));
		return Flux.fromIterable(sources.entrySet())
			.concatMap((source) -> this.http.get()
				.uri(source.getValue())
				.retrieve()
				.bodyToMono(JsonNode.class)
				.timeout(Duration.ofSeconds(5))
				.map((document) -> new Fetched(source.getKey(), document))
				.onErrorResume((ex) -> {
					logger.warn("OpenAPI document of {} at {} is unavailable: {}", source.getKey(), source.getValue(),
							ex.toString());
					return Mono.just(new Fetched(source.getKey(), null));
				}))
			.collectList()
			.map(this::merge);
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
		for (Fetched fetched : documents) {
			if (fetched.document() == null) {
				unavailable.add(fetched.service());
				continue;
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
		return merged;
	}

	private record Fetched(String service, @org.jspecify.annotations.Nullable JsonNode document) {
	}

}

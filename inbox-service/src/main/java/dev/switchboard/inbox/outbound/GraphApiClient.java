package dev.switchboard.inbox.outbound;

import java.time.Duration;
import java.util.Set;

import io.netty.channel.ChannelOption;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Sends Meta's JSON to {@code POST /{version}/{phone-number-id}/messages} of the Graph
 * API and sorts the answer into accepted, retryable and rejected.
 */
@Component
class GraphApiClient {

	/**
	 * Meta's throttling codes: application, account and pair rate limits, spam rate
	 * limit.
	 */
	private static final Set<Integer> RATE_LIMIT_CODES = Set.of(4, 80007, 130429, 131048, 131056, 613);

	private final WebClient client;

	private final WhatsAppProperties properties;

	private final JsonMapper json;

	GraphApiClient(WhatsAppProperties properties, JsonMapper json) {
		this.properties = properties;
		this.json = json;
		HttpClient http = HttpClient.create()
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
			.responseTimeout(Duration.ofSeconds(20));
		this.client = WebClient.builder()
			.clientConnector(new ReactorClientHttpConnector(http))
			.baseUrl(properties.graphBaseUrl())
			.build();
	}

	Mono<GraphResult> send(String phoneNumberId, String payload) {
		return this.client.post()
			.uri("/{version}/{phoneNumberId}/messages", this.properties.apiVersion(), phoneNumberId)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + this.properties.accessToken())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(payload)
			.exchangeToMono((response) -> response.bodyToMono(String.class).defaultIfEmpty("").map((body) -> {
				int status = response.statusCode().value();
				Duration retryAfter = response.headers()
					.header(HttpHeaders.RETRY_AFTER)
					.stream()
					.findFirst()
					.flatMap(GraphApiClient::seconds)
					.orElse(null);
				return classify(status, body, retryAfter);
			}))
			.onErrorResume((ex) -> Mono.just(new GraphResult.Retryable("No answer from the Graph API: "
					+ ex.getClass().getSimpleName() + (ex.getMessage() != null ? " " + ex.getMessage() : ""), null)));
	}

	GraphResult classify(int status, String body, Duration retryAfter) {
		JsonNode root;
		try {
			root = this.json.readTree(body.isEmpty() ? "{}" : body);
		}
		catch (RuntimeException ex) {
			root = this.json.createObjectNode();
		}
		if (status >= 200 && status < 300) {
			String wamid = root.path("messages").path(0).path("id").asString(null);
			return (wamid != null) ? new GraphResult.Accepted(wamid)
					: new GraphResult.Retryable("The Graph API answered " + status + " without a message id", null);
		}
		JsonNode error = root.path("error");
		int code = error.path("code").asInt(-1);
		String reason = "HTTP " + status + ((code >= 0) ? ", error " + code : "") + ": "
				+ error.path("message").asString(body.isEmpty() ? "no body" : truncate(body));
		if (status == 429 || status >= 500 || RATE_LIMIT_CODES.contains(code)) {
			return new GraphResult.Retryable(reason, retryAfter);
		}
		return new GraphResult.Rejected(reason);
	}

	private static String truncate(String body) {
		return (body.length() > 300) ? body.substring(0, 300) + "…" : body;
	}

	private static java.util.Optional<Duration> seconds(String value) {
		try {
			return java.util.Optional.of(Duration.ofSeconds(Long.parseLong(value.trim())));
		}
		catch (NumberFormatException ex) {
			return java.util.Optional.empty();
		}
	}

}

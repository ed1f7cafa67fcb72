package dev.switchboard.console.api;

import java.util.Map;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.web.reactive.function.client.ServerOAuth2AuthorizedClientExchangeFilterFunction;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriBuilder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.switchboard.console.config.ConsoleProperties;

/**
 * The public API, called through the gateway with the signed-in user's access token
 * (refreshed where the provider allows): the gateway and the services decide what the
 * user may see and do, as for any other client. A 401 becomes {@link ApiUnauthorized},
 * any other refusal an {@link ApiProblem}.
 */
@Component
public class ApiClient {

	private static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT = new ParameterizedTypeReference<>() {
	};

	private final WebClient web;

	ApiClient(WebClient.Builder builder, ReactiveOAuth2AuthorizedClientManager clients, ConsoleProperties properties) {
		ServerOAuth2AuthorizedClientExchangeFilterFunction tokens = new ServerOAuth2AuthorizedClientExchangeFilterFunction(
				clients);
		tokens.setDefaultClientRegistrationId(properties.oidc().registrationId());
		this.web = builder.baseUrl(properties.apiUri().toString()).filter(tokens).build();
	}

	/**
	 * A GET.
	 * @param <T> the answer's type
	 * @param uri the path and query, built from the API's base
	 * @param type the answer's type
	 * @return the answer
	 */
	public <T> Mono<T> get(Function<UriBuilder, java.net.URI> uri, ParameterizedTypeReference<T> type) {
		return this.web.get()
			.uri(uri)
			.accept(MediaType.APPLICATION_JSON)
			.exchangeToMono((response) -> read(response, type));
	}

	/**
	 * A call with a JSON body (or none).
	 * @param <T> the answer's type
	 * @param method POST, PUT or DELETE
	 * @param uri the path, built from the API's base
	 * @param body the body, if any
	 * @param headers more headers, name then value
	 * @param type the answer's type
	 * @return the answer (empty for 204)
	 */
	public <T> Mono<T> call(HttpMethod method, Function<UriBuilder, java.net.URI> uri, @Nullable Object body,
			ParameterizedTypeReference<T> type, String... headers) {
		WebClient.RequestBodySpec request = this.web.method(method)
			.uri(uri)
			.accept(MediaType.APPLICATION_JSON)
			.headers((all) -> {
				for (int i = 0; i + 1 < headers.length; i += 2) {
					all.set(headers[i], headers[i + 1]);
				}
			});
		WebClient.RequestHeadersSpec<?> ready = (body != null)
				? request.contentType(MediaType.APPLICATION_JSON).bodyValue(body) : request;
		return ready.exchangeToMono((response) -> read(response, type));
	}

	/**
	 * A GET whose answer is relayed as it arrives (a CSV download, a metrics page), with
	 * its headers: nothing is buffered in the console.
	 * @param uri the path and query, built from the API's base (or an absolute address)
	 * @param accept the media type asked for
	 * @return the answer's status, headers and body
	 */
	public Mono<ResponseEntity<Flux<DataBuffer>>> stream(Function<UriBuilder, java.net.URI> uri, MediaType accept) {
		return this.web.get()
			.uri(uri)
			.accept(accept)
			.retrieve()
			.onStatus((status) -> !status.is2xxSuccessful(),
					(response) -> read(response, JSON_OBJECT)
						.then(Mono.error(() -> new IllegalStateException("HTTP " + response.statusCode().value()))))
			.toEntityFlux(DataBuffer.class);
	}

	private static <T> Mono<T> read(ClientResponse response, ParameterizedTypeReference<T> type) {
		if (response.statusCode().is2xxSuccessful()) {
			return response.bodyToMono(type);
		}
		if (response.statusCode().value() == HttpStatus.UNAUTHORIZED.value()) {
			return response.releaseBody().then(Mono.error(new ApiUnauthorized("The API did not accept the token")));
		}
		int status = response.statusCode().value();
		return response.bodyToMono(JSON_OBJECT)
			.onErrorResume((ex) -> Mono.empty())
			.defaultIfEmpty(Map.of())
			.flatMap((problem) -> Mono.error(new ApiProblem(status, text(problem.get("title")),
					(problem.get("detail") != null) ? String.valueOf(problem.get("detail")) : "HTTP " + status,
					text(problem.get("type")))));
	}

	private static @Nullable String text(@Nullable Object value) {
		return (value != null) ? value.toString() : null;
	}

}

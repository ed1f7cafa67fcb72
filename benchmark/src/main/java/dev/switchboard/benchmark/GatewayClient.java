package dev.switchboard.benchmark;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway as a client reaches it, with bearer tokens of the local OpenID Connect
 * provider (each user's {@code client_credentials} grant); the signed webhooks are
 * {@link OpenLoad}'s.
 */
final class GatewayClient {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final String url;

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final String issuer;

	private final String clientSecret;

	GatewayClient(String url, String issuer, String clientSecret) {
		this.url = url;
		this.issuer = issuer;
		this.clientSecret = clientSecret;
	}

	String url() {
		return this.url;
	}

	/**
	 * A user's access token: the {@code client_credentials} grant of the user's client.
	 * @param user a user the provider was started with
	 * @return the JWT
	 */
	String token(String user) {
		String basic = Base64.getEncoder()
			.encodeToString((user + ":" + this.clientSecret).getBytes(StandardCharsets.UTF_8));
		try {
			HttpResponse<String> response = this.http
				.send(HttpRequest.newBuilder(URI.create(this.issuer + "/oauth2/token"))
					.timeout(Duration.ofSeconds(30))
					.header("Authorization", "Basic " + basic)
					.header("Content-Type", "application/x-www-form-urlencoded")
					.POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
					.build(), HttpResponse.BodyHandlers.ofString());
			require(response, 200);
			return JSON.readTree(response.body()).path("access_token").asString();
		}
		catch (IOException ex) {
			throw new IllegalStateException("No token for " + user + ": " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Calls the API, waiting out the gateway's rate limit ({@code 429}).
	 * @param token bearer token or null
	 * @param method HTTP method
	 * @param path the path
	 * @param deviceId {@code X-Device-Id} or null
	 * @param body JSON body or null
	 * @return the response
	 */
	HttpResponse<String> call(@Nullable String token, String method, String path, @Nullable String deviceId,
			@Nullable String body) {
		for (int attempt = 0;; attempt++) {
			HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.url + path))
				.timeout(Duration.ofSeconds(30))
				.method(method, (body != null) ? HttpRequest.BodyPublishers.ofString(body)
						: HttpRequest.BodyPublishers.noBody());
			if (body != null) {
				request.header("Content-Type", "application/json");
			}
			if (token != null) {
				request.header("Authorization", "Bearer " + token);
			}
			if (deviceId != null) {
				request.header("X-Device-Id", deviceId);
			}
			try {
				HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
				if ((response.statusCode() == 429 || response.statusCode() == 503) && attempt < 30) {
					Processes.sleep(1000);
					continue;
				}
				return response;
			}
			catch (IOException ex) {
				if (attempt >= 30) {
					throw new IllegalStateException(method + " " + path + ": " + ex.getMessage(), ex);
				}
				Processes.sleep(1000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
	}

	JsonNode json(String token, String method, String path, @Nullable String body, int expected) {
		HttpResponse<String> response = call(token, method, path, null, body);
		require(response, expected);
		return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
	}

	static JsonNode parse(String body) {
		return JSON.readTree(body);
	}

	static void require(HttpResponse<String> response, int expected) {
		if (response.statusCode() != expected) {
			throw new IllegalStateException(response.request().method() + " " + response.request().uri() + " answered "
					+ response.statusCode() + ": " + response.body());
		}
	}

}

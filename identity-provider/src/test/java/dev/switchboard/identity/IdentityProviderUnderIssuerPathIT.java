package dev.switchboard.identity;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoders;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The provider standing in for Keycloak (DeploymentParityIT): an issuer with a realm's
 * path and endpoints at Keycloak's paths below it, found through discovery from the
 * issuer as clients find them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
		properties = { "switchboard.identity.password=test-password", "switchboard.identity.client-secret=test-secret",
				"spring.security.oauth2.authorizationserver.endpoint.token-uri=/protocol/openid-connect/token",
				"spring.security.oauth2.authorizationserver.endpoint.jwk-set-uri=/protocol/openid-connect/certs",
				"spring.security.oauth2.authorizationserver.endpoint.authorization-uri=/protocol/openid-connect/auth" })
class IdentityProviderUnderIssuerPathIT {

	private static final int PORT = freePort();

	private static final String ISSUER = "http://127.0.0.1:" + PORT + "/realms/switchboard";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newHttpClient();

	@DynamicPropertySource
	static void issuer(DynamicPropertyRegistry registry) {
		registry.add("server.port", () -> PORT);
		registry.add("switchboard.identity.issuer", () -> ISSUER);
	}

	@Test
	void whenTheIssuerHasAPathThenDiscoveryFromItNamesEndpointsThatServe() throws Exception {
		HttpResponse<String> discovery = get(ISSUER + "/.well-known/openid-configuration");
		assertThat(discovery.statusCode()).isEqualTo(200);
		JsonNode document = JSON.readTree(discovery.body());
		assertThat(document.path("issuer").asString()).isEqualTo(ISSUER);
		assertThat(document.path("authorization_endpoint").asString())
			.isEqualTo(ISSUER + "/protocol/openid-connect/auth");
		String tokenEndpoint = document.path("token_endpoint").asString();
		assertThat(tokenEndpoint).isEqualTo(ISSUER + "/protocol/openid-connect/token");
		assertThat(get(document.path("jwks_uri").asString()).statusCode()).isEqualTo(200);

		String basic = Base64.getEncoder().encodeToString("olivia:test-secret".getBytes(StandardCharsets.UTF_8));
		HttpResponse<String> token = this.http.send(HttpRequest.newBuilder(URI.create(tokenEndpoint))
			.header("Authorization", "Basic " + basic)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
		Jwt jwt = JwtDecoders.fromIssuerLocation(ISSUER)
			.decode(JSON.readTree(token.body()).path("access_token").asString());
		assertThat(jwt.getIssuer()).hasToString(ISSUER);
		assertThat(jwt.getSubject()).isEqualTo("olivia");
	}

	@Test
	void whenTheIssuerHasAPathThenDiscoveryStillAnswersAtTheRoot() throws Exception {
		assertThat(get("http://127.0.0.1:" + PORT + "/.well-known/openid-configuration").statusCode()).isEqualTo(200);
	}

	private HttpResponse<String> get(String uri) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(URI.create(uri)).build(), HttpResponse.BodyHandlers.ofString());
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}

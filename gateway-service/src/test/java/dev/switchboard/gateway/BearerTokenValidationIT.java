package dev.switchboard.gateway;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.switchboard.testsupport.IntegrationTest;

/**
 * The checks a token passes besides its signature: issuer, audience and a required,
 * unexpired {@code exp}. The tokens come from a stand-in provider whose key the test
 * holds (discovery document and JWKS on a local port), so that tokens a real provider
 * would never issue can be signed.
 */
@IntegrationTest
@AutoConfigureWebTestClient
class BearerTokenValidationIT {

	private static final RSAKey KEY = rsaKey("trusted");

	/** Same key id as the trusted key: the signature is what fails. */
	private static final RSAKey STRANGER = rsaKey("trusted");

	private static final HttpServer provider = provider();

	private static final String ISSUER = "http://127.0.0.1:" + provider.getAddress().getPort();

	private static final String TENANT = "tenant-" + UUID.randomUUID();

	@Autowired
	private WebTestClient http;

	@DynamicPropertySource
	static void issuer(DynamicPropertyRegistry registry) {
		registry.add("switchboard.security.jwt.issuer-uri", () -> ISSUER);
	}

	@AfterAll
	static void stopProvider() {
		provider.stop(0);
	}

	@Test
	void whenEveryClaimIsRightThenTheCallIsAuthenticated() {
		call(token((claims) -> {
		})).expectStatus().isOk();
	}

	@Test
	void whenTheIssuerIsAnotherThenUnauthorized() {
		call(token((claims) -> claims.issuer("https://sso.example.com/realms/elsewhere"))).expectStatus()
			.isUnauthorized()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void whenTheAudienceIsAnotherThenUnauthorized() {
		call(token((claims) -> claims.audience("account"))).expectStatus().isUnauthorized();
	}

	@Test
	void whenThereIsNoAudienceThenUnauthorized() {
		call(token((claims) -> claims.audience(List.of()))).expectStatus().isUnauthorized();
	}

	@Test
	void whenThereIsNoExpiryThenUnauthorized() {
		call(token((claims) -> claims.expirationTime(null))).expectStatus().isUnauthorized();
	}

	@Test
	void whenTheTokenExpiredThenUnauthorized() {
		call(token((claims) -> claims.expirationTime(Date.from(Instant.now().minusSeconds(300))))).expectStatus()
			.isUnauthorized();
	}

	@Test
	void whenAnotherKeySignedTheTokenThenUnauthorized() {
		call(sign(STRANGER, claims().build())).expectStatus().isUnauthorized();
	}

	@Test
	void whenTheTenantClaimIsMissingThenUnauthorized() {
		call(token((claims) -> claims.claim("tenant", null))).expectStatus().isUnauthorized();
	}

	private WebTestClient.ResponseSpec call(String token) {
		return this.http.get().uri("/api/v1/api-keys").headers((h) -> h.setBearerAuth(token)).exchange();
	}

	private static String token(Consumer<JWTClaimsSet.Builder> change) {
		JWTClaimsSet.Builder claims = claims();
		change.accept(claims);
		return sign(KEY, claims.build());
	}

	private static JWTClaimsSet.Builder claims() {
		Instant now = Instant.now();
		return new JWTClaimsSet.Builder().issuer(ISSUER)
			.subject("olivia")
			.audience("switchboard")
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plusSeconds(300)))
			.claim("tenant", TENANT)
			.claim("roles", List.of("OWNER"));
	}

	private static String sign(RSAKey key, JWTClaimsSet claims) {
		try {
			SignedJWT jwt = new SignedJWT(
					new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(),
					claims);
			jwt.sign(new RSASSASigner(key));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static RSAKey rsaKey(String id) {
		try {
			return new RSAKeyGenerator(2048).keyID(id)
				.keyUse(KeyUse.SIGNATURE)
				.algorithm(JWSAlgorithm.RS256)
				.generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Discovery and JWKS, as any OpenID Connect provider serves them. */
	private static HttpServer provider() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			String issuer = "http://127.0.0.1:" + server.getAddress().getPort();
			tools.jackson.databind.json.JsonMapper json = tools.jackson.databind.json.JsonMapper.builder().build();
			String discovery = json.writeValueAsString(Map.of("issuer", issuer, "jwks_uri", issuer + "/jwks",
					"authorization_endpoint", issuer + "/authorize", "token_endpoint", issuer + "/token",
					"subject_types_supported", List.of("public"), "response_types_supported", List.of("code"),
					"id_token_signing_alg_values_supported", List.of("RS256")));
			String jwks = new JWKSet(KEY.toPublicJWK()).toString();
			server.createContext("/.well-known/openid-configuration", (exchange) -> answer(exchange, discovery));
			server.createContext("/jwks", (exchange) -> answer(exchange, jwks));
			server.start();
			return server;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void answer(com.sun.net.httpserver.HttpExchange exchange, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(200, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

}

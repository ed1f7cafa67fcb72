package dev.switchboard.gateway;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.switchboard.support.identity.InternalIdentityAutoConfiguration;
import dev.switchboard.support.identity.InternalIdentityProperties;
import dev.switchboard.support.identity.InternalTokens;
import dev.switchboard.testsupport.ApiDocumentation;
import dev.switchboard.testsupport.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Authentication, roles, identity propagation and rate limits through the real gateway.
 * The downstream service is a real HTTP server that answers with the claims of the
 * internal identity token it received (and the raw token, which the tests verify as a
 * service would).
 */
@IntegrationTest
@AutoConfigureWebTestClient
@ActiveProfiles("local")
@TestPropertySource(properties = { "switchboard.security.jwt.hmac-secret=test-secret-test-secret-test-secret-42",
		"switchboard.gateway.rate-limit.per-tenant.capacity=30",
		"switchboard.gateway.rate-limit.per-tenant.refill-per-second=0.5",
		"switchboard.gateway.rate-limit.per-api-key.capacity=3",
		"switchboard.gateway.rate-limit.per-api-key.refill-per-second=0.5" })
@Import(ChainErrors.class)
@SuppressWarnings("unchecked")
class GatewaySecurityIT {

	private static final java.util.concurrent.atomic.AtomicInteger ECHOED_POSTS = new java.util.concurrent.atomic.AtomicInteger();

	private static final HttpServer downstream = echoServer();

	@Autowired
	private ChainErrors chainErrors;

	@Autowired
	private WebTestClient http;

	@DynamicPropertySource
	static void routes(DynamicPropertyRegistry registry) {
		String url = "http://127.0.0.1:" + downstream.getAddress().getPort();
		registry.add("switchboard.services.inbox", () -> url);
		registry.add("switchboard.services.routing", () -> "http://127.0.0.1:" + closedPort());
	}

	@AfterAll
	static void stopDownstream() {
		downstream.stop(0);
	}

	@Autowired
	private org.springframework.context.ApplicationContext context;

	@Test
	void whenThePlatformDocumentIsAskedThenItHasEveryGatewayRouteTheSecuritySchemesAndNamesMissingServices() {
		String own = this.http.get()
			.uri("/v3/api-docs/gateway")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		tools.jackson.databind.json.JsonMapper json = tools.jackson.databind.json.JsonMapper.builder().build();
		assertThat(ApiDocumentation.undocumented(this.context, json.readTree(own))).isEmpty();
		String platform = this.http.get()
			.uri("/v3/api-docs")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		tools.jackson.databind.JsonNode document = json.readTree(platform);
		assertThat(ApiDocumentation.paths(document)).containsAll(ApiDocumentation.publicRoutes(this.context))
			.doesNotContain("/fallback/{service}");
		assertThat(document.path("components").path("securitySchemes").propertyNames()).contains("bearer", "apiKey");
		assertThat(document.path("x-switchboard-unavailable").toString()).contains("routing-service");
	}

	@Test
	void whenNoCredentialsThenUnauthorizedProblem() {
		this.http.get()
			.uri("/api/v1/conversations")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(401);
	}

	@Test
	void whenTokenIsForgedThenUnauthorized() {
		String token = token(tenant(), "mario", "AGENT");
		String forged = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA"
				+ token.substring(token.lastIndexOf('.') + 5);
		this.http.get()
			.uri("/api/v1/conversations")
			.headers((h) -> h.setBearerAuth(forged))
			.exchange()
			.expectStatus()
			.isUnauthorized();
	}

	@Test
	void whenTokenIsValidThenTheServiceGetsAnInternalTokenItVerifiesInsteadOfTheClientsCredentials() {
		String tenant = tenant();
		String clientToken = token(tenant, "mario", "AGENT", "ADMIN");
		Map<String, Object> relayed = this.http.get()
			.uri("/api/v1/conversations")
			.headers((h) -> h.setBearerAuth(clientToken))
			.header("X-Switchboard-Tenant", "someone-elses-tenant")
			.header("X-Switchboard-Roles", "OWNER")
			.header("X-Device-Id", "device-7")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
		assertThat(relayed).containsEntry("tenant", tenant)
			.containsEntry("subject", "mario")
			.containsEntry("roles", "ADMIN,AGENT")
			.containsEntry("device", "device-7")
			.containsEntry("apiKeyHeader", "none");
		String internal = (String) relayed.get("token");
		assertThat(internal).isNotEqualTo(clientToken);

		// What the inbox's resource server does with it, keys from the gateway's JWKS.
		String jwks = this.http.get()
			.uri(InternalTokens.JWKS_PATH)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(jwks).contains("\"kty\":\"EC\"").doesNotContain("\"d\"");
		Jwt verified = verifier(jwks, "inbox-service").decode(internal).block();
		assertThat(verified).isNotNull();
		assertThat(verified.getClaimAsString("iss")).isEqualTo(InternalTokens.ISSUER);
		assertThat(verified.getAudience()).containsExactly("inbox-service");
		assertThat(verified.getClaimAsString("tenant")).isEqualTo(tenant);
		assertThat(verified.getClaimAsStringList("roles")).containsExactly("ADMIN", "AGENT");
		assertThat(verified.getId()).isNotBlank();
		assertThat(Duration.between(verified.getIssuedAt(), verified.getExpiresAt())).isEqualTo(Duration.ofSeconds(30));
		assertThatThrownBy(() -> verifier(jwks, "billing-service").decode(internal).block())
			.as("a token for the inbox is no good at billing")
			.isInstanceOf(JwtValidationException.class);
	}

	@Test
	void whenATenantsTokenClaimsPlatformRolesThenTheyAreDropped() {
		String tenant = tenant();
		this.http.get()
			.uri("/api/v1/conversations")
			.headers((h) -> h.setBearerAuth(token(tenant, "mallory", "AGENT", "SRE", "OPERATOR")))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.roles")
			.isEqualTo("AGENT");
		this.http.get()
			.uri("/api/v1/conversations")
			.headers((h) -> h.setBearerAuth(token(tenant, "mallory", "SRE")))
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void whenAnApiKeyWouldHoldMoreThanItsCreatorThenBadRequest() {
		String tenant = tenant();
		String admin = token(tenant, "adam", "ADMIN", "AGENT");
		for (List<String> roles : List.of(List.of("OWNER"), List.of("AGENT", "FINANCE"), List.of("SRE"),
				List.of("OPERATOR"))) {
			this.http.post()
				.uri("/api/v1/api-keys")
				.headers((h) -> h.setBearerAuth(admin))
				.bodyValue(Map.of("name", "escalate", "roles", roles))
				.exchange()
				.expectStatus()
				.isBadRequest()
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		}
		this.http.post()
			.uri("/api/v1/api-keys")
			.headers((h) -> h.setBearerAuth(token("platform", "sam", "SRE", "OWNER")))
			.bodyValue(Map.of("name", "scraper", "roles", List.of("SRE")))
			.exchange()
			.expectStatus()
			.isBadRequest();
		this.http.post()
			.uri("/api/v1/api-keys")
			.headers((h) -> h.setBearerAuth(admin))
			.bodyValue(Map.of("name", "crm", "roles", List.of("AGENT")))
			.exchange()
			.expectStatus()
			.isCreated();
	}

	@Test
	void whenAgentManagesApiKeysThenForbidden() {
		this.http.post()
			.uri("/api/v1/api-keys")
			.headers((h) -> h.setBearerAuth(token(tenant(), "mario", "AGENT")))
			.bodyValue(Map.of("name", "crm", "roles", List.of("AGENT")))
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void whenOwnerCreatesAnApiKeyThenItAuthenticatesUntilRevokedAndOtherTenantsCannotTouchIt() {
		String tenant = tenant();
		String owner = token(tenant, "olivia", "OWNER", "AGENT");
		Map<?, ?> created = this.http.post()
			.uri("/api/v1/api-keys")
			.headers((h) -> h.setBearerAuth(owner))
			.bodyValue(Map.of("name", "CRM sync", "roles", List.of("AGENT")))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
		assertThat(created).isNotNull();
		String key = (String) created.get("key");
		String id = (String) created.get("id");

		this.http.get()
			.uri("/api/v1/conversations")
			.header("X-Api-Key", key)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.tenant")
			.isEqualTo(tenant)
			.jsonPath("$.subject")
			.isEqualTo("api-key:" + id)
			.jsonPath("$.roles")
			.isEqualTo("AGENT")
			.jsonPath("$.apiKey")
			.isEqualTo(id)
			.jsonPath("$.apiKeyHeader")
			.isEqualTo("none");
		this.http.get()
			.uri("/api/v1/api-keys")
			.headers((h) -> h.setBearerAuth(owner))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.value((body) -> assertThat(body).contains(id).doesNotContain(secretOf(key, id)));

		this.http.delete()
			.uri("/api/v1/api-keys/{id}", id)
			.headers((h) -> h.setBearerAuth(token(tenant(), "intruder", "OWNER")))
			.exchange()
			.expectStatus()
			.isNotFound();
		this.http.get().uri("/api/v1/conversations").header("X-Api-Key", key).exchange().expectStatus().isOk();

		this.http.delete()
			.uri("/api/v1/api-keys/{id}", id)
			.headers((h) -> h.setBearerAuth(owner))
			.exchange()
			.expectStatus()
			.isNoContent();
		this.http.get()
			.uri("/api/v1/conversations")
			.header("X-Api-Key", key)
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectBody()
			.jsonPath("$.detail")
			.isEqualTo("X-Api-Key is unknown or revoked");
	}

	@Test
	void whenKeysAreListedThenTheyComeInPagesNewestFirst() {
		String owner = token(tenant(), "olivia", "OWNER", "AGENT");
		for (String name : List.of("one", "two", "three")) {
			this.http.post()
				.uri("/api/v1/api-keys")
				.headers((h) -> h.setBearerAuth(owner))
				.bodyValue(Map.of("name", name, "roles", List.of("AGENT")))
				.exchange()
				.expectStatus()
				.isCreated();
		}
		Map<?, ?> first = this.http.get()
			.uri("/api/v1/api-keys?limit=2")
			.headers((h) -> h.setBearerAuth(owner))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
		List<Object> names = ((List<?>) first.get("items")).stream()
			.map((item) -> (Object) ((Map<?, ?>) item).get("name"))
			.toList();
		assertThat(names).containsExactly("three", "two");
		this.http.get()
			.uri("/api/v1/api-keys?limit=2&cursor={cursor}", first.get("nextCursor"))
			.headers((h) -> h.setBearerAuth(owner))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.items[0].name")
			.isEqualTo("one")
			.jsonPath("$.nextCursor")
			.doesNotExist();
		this.http.get()
			.uri("/api/v1/api-keys?cursor=garbage")
			.headers((h) -> h.setBearerAuth(owner))
			.exchange()
			.expectStatus()
			.isBadRequest();
	}

	@Test
	void whenAPostIsRetriedWithItsIdempotencyKeyThenTheFirstResponseIsReplayedAndNothingIsCreatedTwice() {
		int errorsBefore = this.chainErrors.errors().size();
		String owner = token(tenant(), "olivia", "OWNER", "AGENT");
		Map<String, Object> body = Map.of("name", "CRM", "roles", List.of("AGENT"));
		Map<?, ?> first = this.http.post()
			.uri("/api/v1/api-keys")
			.headers((h) -> h.setBearerAuth(owner))
			.header("Idempotency-Key", "create-crm-key")
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
		Map<?, ?> again = this.http.post()
			.uri("/api/v1/api-keys")
			.headers((h) -> h.setBearerAuth(owner))
			.header("Idempotency-Key", "create-crm-key")
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isCreated()
			.expectHeader()
			.valueEquals("Idempotent-Replayed", "true")
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
		assertThat(again).isEqualTo(first);
		this.http.get()
			.uri("/api/v1/api-keys")
			.headers((h) -> h.setBearerAuth(owner))
			.exchange()
			.expectBody()
			.jsonPath("$.items.length()")
			.isEqualTo(1);
		this.http.post()
			.uri("/api/v1/api-keys")
			.headers((h) -> h.setBearerAuth(owner))
			.header("Idempotency-Key", "create-crm-key")
			.bodyValue(Map.of("name", "something else", "roles", List.of("AGENT")))
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		// Nothing failed after the answers were sent (a replay once wrote a 409 over
		// itself).
		assertThat(this.chainErrors.errors()).hasSize(errorsBefore);
	}

	@Test
	void whenARoutedPostCarriesAnIdempotencyKeyThenTheServiceIsCalledOnce() {
		int errorsBefore = this.chainErrors.errors().size();
		String token = token(tenant(), "mario", "AGENT");
		for (int i = 0; i < 2; i++) {
			this.http.post()
				.uri("/api/v1/conversations/{id}/messages", "c1")
				.headers((h) -> h.setBearerAuth(token))
				.header("Idempotency-Key", "reply-1")
				.bodyValue(Map.of("text", "hello"))
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.subject")
				.isEqualTo("mario");
		}
		assertThat(ECHOED_POSTS.get()).isEqualTo(1);
		assertThat(this.chainErrors.errors()).hasSize(errorsBefore);
	}

	@Test
	void whenMetricsAreScrapedThenOnlyThePlatformsSreMay() {
		this.http.get().uri("/actuator/prometheus").exchange().expectStatus().isUnauthorized();
		for (String token : List.of(token(tenant(), "mario", "AGENT"), token(tenant(), "olivia", "OWNER"),
				token(tenant(), "sam", "SRE"), token("platform", "paula", "OPERATOR"))) {
			this.http.get()
				.uri("/actuator/prometheus")
				.headers((h) -> h.setBearerAuth(token))
				.exchange()
				.expectStatus()
				.isForbidden();
		}
		this.http.get()
			.uri("/actuator/prometheus")
			.headers((h) -> h.setBearerAuth(token("platform", "sam", "SRE")))
			.exchange()
			.expectStatus()
			.isOk();
		this.http.get().uri("/actuator/health").exchange().expectStatus().isOk();
	}

	@Test
	void whenATenantFloodsTheApiThenTooManyRequestsWithRetryAfter() {
		String token = token(tenant(), "bot", "AGENT");
		int limited = 0;
		String retryAfter = null;
		for (int i = 0; i < 40; i++) {
			var result = this.http.get()
				.uri("/api/v1/conversations")
				.headers((h) -> h.setBearerAuth(token))
				.exchange()
				.returnResult(String.class);
			if (result.getStatus().isSameCodeAs(HttpStatus.TOO_MANY_REQUESTS)) {
				limited++;
				retryAfter = result.getResponseHeaders().getFirst("Retry-After");
				assertThat(result.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
			}
			else {
				assertThat(result.getStatus().value()).isEqualTo(200);
			}
		}
		assertThat(limited).isBetween(9, 10);
		assertThat(retryAfter).isNotNull();
		assertThat(Integer.parseInt(retryAfter)).isPositive();
	}

	@Test
	void whenAnApiKeyFloodsTheApiThenItsOwnLimitApplies() {
		String tenant = tenant();
		Map<?, ?> created = this.http.post()
			.uri("/api/v1/api-keys")
			.headers((h) -> h.setBearerAuth(token(tenant, "olivia", "OWNER", "AGENT")))
			.bodyValue(Map.of("name", "script", "roles", List.of("AGENT")))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
		String key = (String) created.get("key");
		for (int i = 0; i < 3; i++) {
			this.http.get().uri("/api/v1/conversations").header("X-Api-Key", key).exchange().expectStatus().isOk();
		}
		this.http.get()
			.uri("/api/v1/conversations")
			.header("X-Api-Key", key)
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
			.expectHeader()
			.exists("Retry-After");
	}

	@Test
	void whenTheServiceIsDownThenServiceUnavailableProblem() {
		this.http.get()
			.uri("/api/v1/conversations/{id}/window", UUID.randomUUID())
			.headers((h) -> h.setBearerAuth(token(tenant(), "mario", "AGENT")))
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.detail")
			.isEqualTo("routing-service is unavailable right now; retry shortly");
	}

	@Test
	void whenThePathIsUnknownThenNotFoundProblem() {
		this.http.get()
			.uri("/api/v1/nothing-here")
			.headers((h) -> h.setBearerAuth(token(tenant(), "mario", "AGENT")))
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	private static int closedPort() {
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private String token(String tenant, String subject, String... roles) {
		Map<?, ?> minted = this.http.post()
			.uri("/api/v1/dev/tokens")
			.bodyValue(Map.of("tenant", tenant, "subject", subject, "roles", List.of(roles)))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
		assertThat(minted).isNotNull();
		return (String) minted.get("token");
	}

	private static String tenant() {
		return "tenant-" + UUID.randomUUID();
	}

	private static ReactiveJwtDecoder verifier(String jwks, String audience) {
		return InternalIdentityAutoConfiguration.decoder(new InternalIdentityProperties(true, null, jwks), audience);
	}

	/**
	 * Answers with what a service would learn: the claims of the internal token (read,
	 * not verified: the tests verify the raw token themselves).
	 */
	private static HttpServer echoServer() {
		tools.jackson.databind.json.JsonMapper json = tools.jackson.databind.json.JsonMapper.builder().build();
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			server.createContext("/", (exchange) -> {
				if ("POST".equals(exchange.getRequestMethod())) {
					ECHOED_POSTS.incrementAndGet();
				}
				var headers = exchange.getRequestHeaders();
				String authorization = String.valueOf(headers.getFirst("Authorization"));
				String token = authorization.startsWith("Bearer ") ? authorization.substring(7) : "";
				Map<String, Object> claims = token.isEmpty() ? Map.of()
						: json.readValue(Base64.getUrlDecoder().decode(token.split("\\.")[1]), Map.class);
				Map<String, Object> body = new java.util.LinkedHashMap<>();
				body.put("token", token);
				body.put("tenant", claims.get("tenant"));
				body.put("subject", claims.get("sub"));
				body.put("roles", String.join(",", (List<String>) claims.getOrDefault("roles", List.of())));
				body.put("apiKey", claims.get("api_key"));
				body.put("apiKeyHeader", String
					.valueOf((headers.getFirst("X-Api-Key") != null) ? headers.getFirst("X-Api-Key") : "none"));
				body.put("device", headers.getFirst("X-Device-Id"));
				byte[] bytes = json.writeValueAsBytes(body);
				exchange.getResponseHeaders().set("Content-Type", "application/json");
				exchange.sendResponseHeaders(200, bytes.length);
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(bytes);
				}
			});
			server.start();
			return server;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The secret part of an API key, {@code sbk_<id>_<secret>}: the secret is base64url
	 * and may itself contain {@code _}, so it is what follows the id, not the last
	 * underscore.
	 */
	private static String secretOf(String key, String id) {
		String prefix = "sbk_" + id + "_";
		assertThat(key).startsWith(prefix);
		return key.substring(prefix.length());
	}

}

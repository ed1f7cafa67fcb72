package dev.switchboard.gateway;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

import dev.switchboard.support.identity.InternalIdentityAutoConfiguration;
import dev.switchboard.support.identity.InternalIdentityProperties;
import dev.switchboard.support.identity.InternalTokens;
import dev.switchboard.testsupport.ApiDocumentation;
import dev.switchboard.testsupport.IntegrationTest;
import dev.switchboard.testsupport.RealInfrastructureInitializer;

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
@TestPropertySource(properties = { "switchboard.gateway.rate-limit.per-tenant.capacity=30",
		"switchboard.gateway.rate-limit.per-tenant.refill-per-second=0.5",
		"switchboard.gateway.rate-limit.per-api-key.capacity=3",
		"switchboard.gateway.rate-limit.per-api-key.refill-per-second=0.5",
		// Exact counts below: a loaded machine must not let a slow take pass as stalled.
		"switchboard.gateway.rate-limit.shared-timeout=30s" })
@Import(ChainErrors.class)
@SuppressWarnings("unchecked")
class GatewaySecurityIT {

	private static final String TENANT_PREFIX = "tenant-" + UUID.randomUUID().toString().substring(0, 8) + "-";

	private static final java.util.concurrent.atomic.AtomicInteger ECHOED_POSTS = new java.util.concurrent.atomic.AtomicInteger();

	private static final HttpServer downstream = echoServer();

	/** Each test its own tenant, as tenants share rate limits and API key lists. */
	private static final IdentityProviderProcess identity = IdentityProviderProcess
		.start(List.of(user("max", "AGENT", "ADMIN"), user("mario", "AGENT"), user("olivia", "OWNER", "AGENT"),
				user("ivan", "OWNER", "AGENT"), user("kim", "OWNER", "AGENT"), user("ida", "OWNER", "AGENT"),
				user("bot", "AGENT"), user("twin", "AGENT"), user("stall", "AGENT"), user("owen", "OWNER", "AGENT"),
				user("adam", "ADMIN", "AGENT"), user("mallory", "AGENT", "SRE", "OPERATOR"), user("tsam", "SRE"),
				user("towner", "OWNER"), new IdentityProviderProcess.User("psam", "platform", "SRE", "OWNER"),
				new IdentityProviderProcess.User("paula", "platform", "OPERATOR")));

	@Autowired
	private ChainErrors chainErrors;

	@Autowired
	private WebTestClient http;

	@LocalManagementPort
	private int managementPort;

	@DynamicPropertySource
	static void routes(DynamicPropertyRegistry registry) {
		String url = "http://127.0.0.1:" + downstream.getAddress().getPort();
		registry.add("switchboard.security.jwt.issuer-uri", identity::issuer);
		registry.add("switchboard.services.inbox", () -> url);
		registry.add("switchboard.services.routing", () -> "http://127.0.0.1:" + closedPort());
	}

	@AfterAll
	static void stopDownstream() {
		downstream.stop(0);
		identity.close();
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
		String token = token("mario");
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
		String tenant = tenantOf("max");
		String clientToken = token("max");
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
			.containsEntry("subject", "max")
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
		assertThat(java.time.Duration.between(verified.getIssuedAt(), verified.getExpiresAt()))
			.isEqualTo(java.time.Duration.ofSeconds(30));
		assertThatThrownBy(() -> verifier(jwks, "billing-service").decode(internal).block())
			.as("a token for the inbox is no good at billing")
			.isInstanceOf(JwtValidationException.class);
	}

	@Test
	void whenATenantsTokenClaimsPlatformRolesThenTheyAreDropped() {
		this.http.get()
			.uri("/api/v1/conversations")
			.headers((h) -> h.setBearerAuth(token("mallory")))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.roles")
			.isEqualTo("AGENT");
		this.http.get()
			.uri("/api/v1/conversations")
			.headers((h) -> h.setBearerAuth(token("tsam")))
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void whenAnApiKeyWouldHoldMoreThanItsCreatorThenBadRequest() {
		String admin = token("adam");
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
			.headers((h) -> h.setBearerAuth(token("psam")))
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
	void whenAUserHasNoRoleThenTheProviderIssuesTheirTokenButTheGatewayForbidsEverything() {
		String token = token("nora");
		String payload = new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]),
				StandardCharsets.UTF_8);
		tools.jackson.databind.JsonNode claims = tools.jackson.databind.json.JsonMapper.builder()
			.build()
			.readTree(payload);
		assertThat(claims.path("sub").asString()).isEqualTo("nora");
		assertThat(claims.path("tenant").asString()).isEqualTo("demo");
		assertThat(claims.path("roles").isArray()).isTrue();
		assertThat(claims.path("roles").isEmpty()).isTrue();
		this.http.get()
			.uri("/api/v1/api-keys")
			.headers((h) -> h.setBearerAuth(token))
			.exchange()
			.expectStatus()
			.isForbidden();
	}

	@Test
	void whenAgentManagesApiKeysThenForbidden() {
		this.http.post()
			.uri("/api/v1/api-keys")
			.headers((h) -> h.setBearerAuth(token("mario")))
			.bodyValue(Map.of("name", "crm", "roles", List.of("AGENT")))
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void whenOwnerCreatesAnApiKeyThenItAuthenticatesUntilRevokedAndOtherTenantsCannotTouchIt() {
		String tenant = tenantOf("olivia");
		String owner = token("olivia");
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
			.headers((h) -> h.setBearerAuth(token("ivan")))
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
		String owner = token("kim");
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
	void whenAKeyCreationIsRetriedWithItsIdempotencyKeyThenNothingIsCreatedTwiceAndTheSecretIsNotReplayed() {
		int errorsBefore = this.chainErrors.errors().size();
		String owner = token("ida");
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
		assertThat(first.get("key")).isNotNull();
		this.http.post()
			.uri("/api/v1/api-keys")
			.headers((h) -> h.setBearerAuth(owner))
			.header("Idempotency-Key", "create-crm-key")
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.CONFLICT)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody(String.class)
			.value((problem) -> assertThat(problem).contains("carried a secret")
				.doesNotContain((String) first.get("key")));
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
		String token = token("mario");
		for (int i = 0; i < 2; i++) {
			WebTestClient.ResponseSpec response = this.http.post()
				.uri("/api/v1/conversations/{id}/messages", "c1")
				.headers((h) -> h.setBearerAuth(token))
				.header("Idempotency-Key", "reply-1")
				.bodyValue(Map.of("text", "hello"))
				.exchange();
			if (i == 0) {
				response.expectHeader().doesNotExist("Idempotent-Replayed");
			}
			else {
				response.expectHeader().valueEquals("Idempotent-Replayed", "true");
			}
			response.expectStatus().isOk().expectBody().jsonPath("$.subject").isEqualTo("mario");
		}
		assertThat(ECHOED_POSTS.get()).isEqualTo(1);
		assertThat(this.chainErrors.errors()).hasSize(errorsBefore);
	}

	@Test
	void whenMetricsAreScrapedThenOnlyThePlatformsSreMayAndOnlyOnTheManagementPort() {
		WebTestClient management = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.managementPort)
			.build();
		management.get().uri("/actuator/prometheus").exchange().expectStatus().isUnauthorized();
		// A tenant's AGENT and OWNER, SRE claimed by a tenant's token, the platform's
		// OPERATOR.
		for (String user : List.of("mario", "towner", "tsam", "paula")) {
			management.get()
				.uri("/actuator/prometheus")
				.headers((h) -> h.setBearerAuth(token(user)))
				.exchange()
				.expectStatus()
				.isForbidden();
		}
		management.get()
			.uri("/actuator/prometheus")
			.headers((h) -> h.setBearerAuth(token("sam")))
			.exchange()
			.expectStatus()
			.isOk();
		management.get().uri("/actuator/health").exchange().expectStatus().isOk();
		// The API port, the one the gateway routes, has no actuator.
		this.http.get()
			.uri("/actuator/prometheus")
			.headers((h) -> h.setBearerAuth(token("sam")))
			.exchange()
			.expectStatus()
			.isNotFound();
	}

	@Test
	void whenATenantFloodsTheApiThenTooManyRequestsWithRetryAfter() {
		String token = token("bot");
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
	void whenATenantFloodsTwoGatewayReplicasThenTheyShareItsLimit() {
		String token = token("twin");
		String inbox = "http://127.0.0.1:" + downstream.getAddress().getPort();
		// Netty resources of its own: closing a context that shares Reactor's global ones
		// would dispose the event loops this class's gateway still serves on.
		ReactorResourceFactory resources = new ReactorResourceFactory();
		resources.setUseGlobalResources(false);
		resources.afterPropertiesSet();
		try (ConfigurableApplicationContext second = new SpringApplicationBuilder(GatewayServiceApplication.class)
			.initializers(new RealInfrastructureInitializer(),
					(context) -> context.getBeanFactory().registerSingleton("reactorResourceFactory", resources))
			.run("--server.port=0", "--management.server.port=0",
					"--switchboard.security.jwt.issuer-uri=" + identity.issuer(),
					"--switchboard.services.inbox=" + inbox, "--switchboard.gateway.rate-limit.per-tenant.capacity=30",
					"--switchboard.gateway.rate-limit.per-tenant.refill-per-second=0.5",
					"--switchboard.gateway.rate-limit.shared-timeout=30s")) {
			int port = ((WebServerApplicationContext) second).getWebServer().getPort();
			WebTestClient other = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build();
			int passed = 0;
			int limited = 0;
			for (int i = 0; i < 40; i++) {
				WebTestClient replica = (i % 2 == 0) ? this.http : other;
				int status = replica.get()
					.uri("/api/v1/conversations")
					.headers((h) -> h.setBearerAuth(token))
					.exchange()
					.returnResult(String.class)
					.getStatus()
					.value();
				if (status == 429) {
					limited++;
				}
				else if (status == 200) {
					passed++;
				}
			}
			// One bucket of 30 (plus what 0.5/s refills meanwhile), not 30 per replica.
			assertThat(passed + limited).isEqualTo(40);
			assertThat(passed).isBetween(30, 31);
		}
		finally {
			resources.destroy();
		}
	}

	@Test
	void whenTheSharedBucketStallsThenTheRequestPassesAfterTheTimeoutAndIsCounted() throws Exception {
		String token = token("stall");
		this.http.get()
			.uri("/api/v1/conversations")
			.headers((h) -> h.setBearerAuth(token))
			.exchange()
			.expectStatus()
			.isOk();
		Environment environment = this.context.getEnvironment();
		String table = environment.getRequiredProperty("switchboard.shared-limits.schema") + ".rate_limit_bucket";
		String tenant = "tenant:" + TENANT_PREFIX + "stall";
		ReactorResourceFactory resources = new ReactorResourceFactory();
		resources.setUseGlobalResources(false);
		resources.afterPropertiesSet();
		try (ConfigurableApplicationContext stalling = new SpringApplicationBuilder(GatewayServiceApplication.class)
			.initializers(new RealInfrastructureInitializer(),
					(context) -> context.getBeanFactory().registerSingleton("reactorResourceFactory", resources))
			.run("--server.port=0", "--management.server.port=0",
					"--switchboard.security.jwt.issuer-uri=" + identity.issuer(),
					"--switchboard.services.inbox=http://127.0.0.1:" + downstream.getAddress().getPort(),
					// This class's limit: a bucket is named by its rate, so this one is
					// the
					// row held below.
					"--switchboard.gateway.rate-limit.per-tenant.capacity=30",
					"--switchboard.gateway.rate-limit.per-tenant.refill-per-second=0.5",
					"--switchboard.gateway.rate-limit.shared-timeout=300ms");
				Connection lock = DriverManager.getConnection(
						environment.getRequiredProperty("switchboard.shared-limits.url"),
						environment.getRequiredProperty("switchboard.shared-limits.username"),
						environment.getRequiredProperty("switchboard.shared-limits.password"))) {
			// A transaction holding the tenant's bucket row (named by key and rate):
			// every take waits on its lock.
			lock.setAutoCommit(false);
			try (PreparedStatement select = lock
				.prepareStatement("SELECT state FROM " + table + " WHERE starts_with(id, ?) FOR UPDATE")) {
				select.setString(1, tenant + "@");
				assertThat(select.executeQuery().next()).as("the tenant's bucket row").isTrue();
			}
			int port = ((WebServerApplicationContext) stalling).getWebServer().getPort();
			MeterRegistry meters = stalling.getBean(MeterRegistry.class);
			long started = System.nanoTime();
			WebTestClient.bindToServer()
				.baseUrl("http://127.0.0.1:" + port)
				.responseTimeout(Duration.ofSeconds(30))
				.build()
				.get()
				.uri("/api/v1/conversations")
				.headers((h) -> h.setBearerAuth(token))
				.exchange()
				.expectStatus()
				.isOk();
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
			assertThat(meters.counter("switchboard.shared.limits.errors", "limit", "tenant").count()).isEqualTo(1);
			lock.rollback();
		}
		finally {
			resources.destroy();
		}
	}

	@Test
	void whenAnApiKeyFloodsTheApiThenItsOwnLimitApplies() {
		Map<?, ?> created = this.http.post()
			.uri("/api/v1/api-keys")
			.headers((h) -> h.setBearerAuth(token("owen")))
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
			.headers((h) -> h.setBearerAuth(token("mario")))
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
			.headers((h) -> h.setBearerAuth(token("mario")))
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

	/** A real token of the provider: its client_credentials grant for the user. */
	private static String token(String user) {
		return identity.token(user);
	}

	private static String tenantOf(String user) {
		return TENANT_PREFIX + user;
	}

	private static IdentityProviderProcess.User user(String name, String... roles) {
		return new IdentityProviderProcess.User(name, tenantOf(name), roles);
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
						: json.readValue(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]), Map.class);
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

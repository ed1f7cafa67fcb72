package dev.switchboard.gateway;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.switchboard.gateway.idempotency.IdempotencyPurge;
import dev.switchboard.testsupport.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The idempotency filter's bounds: body size, responses that carry a secret, and expiry.
 * The downstream service is a real HTTP server: {@code /api/v1/webhook-subscriptions}
 * answers with a secret and {@code Cache-Control: no-store} as the inbox does, any other
 * path with a plain body.
 */
@IntegrationTest
@AutoConfigureWebTestClient
class IdempotencyIT {

	private static final AtomicInteger DOWNSTREAM_POSTS = new AtomicInteger();

	private static final HttpServer downstream = downstream();

	/** Over the 1 MB limit. */
	private static final byte[] TWO_MIB = ("{\"name\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}")
		.getBytes(StandardCharsets.UTF_8);

	@Autowired
	private WebTestClient http;

	@Autowired
	private DatabaseClient database;

	@Autowired
	private IdempotencyPurge purge;

	@Autowired
	private MeterRegistry meters;

	@LocalServerPort
	private int port;

	private static final String TENANT_PREFIX = "tenant-" + UUID.randomUUID().toString().substring(0, 8) + "-";

	/** An owner per test that needs one (each its own tenant) and an agent. */
	private static final IdentityProviderProcess identity = IdentityProviderProcess
		.start(List.of(user("olivia", "OWNER", "AGENT"), user("ivan", "OWNER", "AGENT"), user("kim", "OWNER", "AGENT"),
				user("ida", "OWNER", "AGENT"), user("mario", "AGENT")));

	@DynamicPropertySource
	static void routes(DynamicPropertyRegistry registry) {
		registry.add("switchboard.security.jwt.issuer-uri", identity::issuer);
		registry.add("switchboard.services.inbox", () -> "http://127.0.0.1:" + downstream.getAddress().getPort());
	}

	@AfterAll
	static void stopDownstream() {
		downstream.stop(0);
		identity.close();
	}

	@Test
	void whenAnIdempotentPostIsLargerThanTheLimitThenPayloadTooLargeAndNothingIsStored() {
		String key = UUID.randomUUID().toString();
		this.http.post()
			.uri("/api/v1/api-keys")
			.headers((h) -> h.setBearerAuth(token("olivia")))
			.header("Idempotency-Key", key)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(TWO_MIB)
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.detail")
			.isEqualTo("The request body is larger than the limit of 1048576 bytes");
		assertThat(stored(key)).isEmpty();
	}

	@Test
	void whenAChunkedIdempotentPostPassesTheLimitThenPayloadTooLargeAndNothingIsStored() throws Exception {
		String key = UUID.randomUUID().toString();
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/v1/api-keys"))
			.header("Authorization", "Bearer " + token("ivan"))
			.header("Idempotency-Key", key)
			.header("Content-Type", "application/json")
			// No length known in advance: sent chunked.
			.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(TWO_MIB)))
			.build();
		try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
			HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).isEqualTo(413);
			assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
		}
		assertThat(stored(key)).isEmpty();
	}

	@Test
	void whenAnApiKeyCreationIsRetriedThenTheRetryGetsConflictWithoutTheSecretAndNoSecretIsStored() {
		String key = UUID.randomUUID().toString();
		String owner = token("kim");
		Map<String, Object> body = Map.of("name", "CRM", "roles", List.of("AGENT"));
		Map<?, ?> created = this.http.post()
			.uri("/api/v1/api-keys")
			.headers((h) -> h.setBearerAuth(owner))
			.header("Idempotency-Key", key)
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isCreated()
			.expectHeader()
			.cacheControl(org.springframework.http.CacheControl.noStore())
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
		String secret = (String) created.get("key");
		String retry = this.http.post()
			.uri("/api/v1/api-keys")
			.headers((h) -> h.setBearerAuth(owner))
			.header("Idempotency-Key", key)
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.CONFLICT)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(retry).contains("its response carried a secret and is not kept").doesNotContain(secret);
		assertThat(stored(key)).singleElement().satisfies((row) -> {
			assertThat(row.get("status")).isEqualTo(201);
			assertThat(row.get("body")).isNull();
			assertThat(row.get("response_kept")).isEqualTo(false);
		});
		assertThat(everyStoredBody()).noneMatch((stored) -> stored.contains(secret));
	}

	@Test
	void whenARoutedResponseCarriesASecretThenItIsNotStoredOrReplayed() {
		String key = UUID.randomUUID().toString();
		String owner = token("ida");
		int postsBefore = DOWNSTREAM_POSTS.get();
		for (int attempt = 0; attempt < 2; attempt++) {
			WebTestClient.ResponseSpec response = this.http.post()
				.uri("/api/v1/webhook-subscriptions")
				.headers((h) -> h.setBearerAuth(owner))
				.header("Idempotency-Key", key)
				.bodyValue(Map.of("url", "https://crm.example/hook", "eventTypes", List.of("MESSAGE_RECEIVED")))
				.exchange();
			if (attempt == 0) {
				response.expectStatus()
					.isCreated()
					.expectBody(String.class)
					.value((body) -> assertThat(body).contains("whsec_"));
			}
			else {
				response.expectStatus()
					.isEqualTo(HttpStatus.CONFLICT)
					.expectBody(String.class)
					.value((body) -> assertThat(body).doesNotContain("whsec_"));
			}
		}
		assertThat(DOWNSTREAM_POSTS.get()).isEqualTo(postsBefore + 1);
		assertThat(stored(key)).singleElement().satisfies((row) -> assertThat(row.get("body")).isNull());
	}

	@Test
	void whenAKeyIsOlderThanTheRetentionThenItIsNotReplayedAndThePurgeDeletesIt() throws Exception {
		String tenant = tenantOf("mario");
		String agent = token("mario");
		String body = "{\"text\":\"hello\"}";
		String path = "/api/v1/conversations/c1/messages";
		String old = UUID.randomUUID().toString();
		OffsetDateTime dayAndHourAgo = OffsetDateTime.now(ZoneOffset.UTC).minusHours(25);
		// Exactly what the filter would have kept for this request 25 hours ago.
		insert(tenant, "mario", old, hash("POST " + path + "\n" + body), dayAndHourAgo);
		int postsBefore = DOWNSTREAM_POSTS.get();
		this.http.post()
			.uri(path)
			.headers((h) -> h.setBearerAuth(agent))
			.header("Idempotency-Key", old)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.doesNotExist("Idempotent-Replayed")
			.expectBody(String.class)
			.value((answer) -> assertThat(answer).doesNotContain("kept a day ago"));
		assertThat(DOWNSTREAM_POSTS.get()).isEqualTo(postsBefore + 1);

		String expired = UUID.randomUUID().toString();
		String fresh = UUID.randomUUID().toString();
		insert(tenant, "mario", expired, hash("anything"), dayAndHourAgo);
		insert(tenant, "mario", fresh, hash("anything"), OffsetDateTime.now(ZoneOffset.UTC).minusHours(23));
		double purgedBefore = this.meters.counter("switchboard.gateway.idempotency.purged").count();
		Long purged = this.purge.purge().block(Duration.ofSeconds(10));
		assertThat(purged).isPositive();
		assertThat(stored(expired)).isEmpty();
		assertThat(stored(fresh)).hasSize(1);
		// The replayed-then-reclaimed key is new again.
		assertThat(stored(old)).hasSize(1);
		assertThat(this.meters.counter("switchboard.gateway.idempotency.purged").count())
			.isEqualTo(purgedBefore + purged);
	}

	private void insert(String tenant, String subject, String key, byte[] requestHash, OffsetDateTime at) {
		this.database.sql("""
				INSERT INTO idempotent_request (tenant_id, subject, idempotency_key, request_hash, status,
				    content_type, body, created_at, completed_at)
				VALUES (:tenant, :subject, :key, :hash, 200, 'application/json', :body, :at, :at)""")
			.bind("tenant", tenant)
			.bind("subject", subject)
			.bind("key", key)
			.bind("hash", requestHash)
			.bind("body", "{\"answer\":\"kept a day ago\"}".getBytes(StandardCharsets.UTF_8))
			.bind("at", at)
			.then()
			.block(Duration.ofSeconds(10));
	}

	private List<Map<String, Object>> stored(String key) {
		return this.database
			.sql("SELECT status, body, response_kept FROM idempotent_request WHERE idempotency_key = :key")
			.bind("key", key)
			.fetch()
			.all()
			.collectList()
			.block(Duration.ofSeconds(10));
	}

	private List<String> everyStoredBody() {
		return this.database.sql("SELECT body FROM idempotent_request WHERE body IS NOT NULL")
			.map((row) -> new String(row.get("body", byte[].class), StandardCharsets.UTF_8))
			.all()
			.collectList()
			.block(Duration.ofSeconds(10));
	}

	private static byte[] hash(String text) throws Exception {
		return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
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

	private static HttpServer downstream() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			server.createContext("/", (exchange) -> {
				exchange.getRequestBody().readAllBytes();
				if ("POST".equals(exchange.getRequestMethod())) {
					DOWNSTREAM_POSTS.incrementAndGet();
				}
				String body = "{\"answer\":\"fresh\"}";
				int status = 200;
				if (exchange.getRequestURI().getPath().equals("/api/v1/webhook-subscriptions")) {
					body = "{\"id\":\"" + UUID.randomUUID() + "\",\"secret\":\"whsec_" + UUID.randomUUID() + "\"}";
					status = 201;
					exchange.getResponseHeaders().set("Cache-Control", "no-store");
				}
				byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
				exchange.getResponseHeaders().set("Content-Type", "application/json");
				exchange.sendResponseHeaders(status, bytes.length);
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

}

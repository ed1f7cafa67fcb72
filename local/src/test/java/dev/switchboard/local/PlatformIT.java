package dev.switchboard.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.switchboard.events.ConversationIds;
import dev.switchboard.sandbox.WhatsAppSandbox;
import dev.switchboard.testsupport.ApiDocumentation;
import dev.switchboard.testsupport.Database;
import dev.switchboard.testsupport.Infrastructure;
import dev.switchboard.testsupport.OtlpReceiver;
import dev.switchboard.testsupport.RealInfrastructure;
import dev.switchboard.testsupport.WhatsAppWebhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The walking skeleton end to end: the five services as separate processes on a real
 * broker and database, driven through the gateway the way Meta and a client would.
 */
class PlatformIT {

	private static final DemoTenant TENANT = DemoTenant.DEFAULT;

	private static final HttpClient http = HttpClient.newHttpClient();

	private static final JsonMapper json = JsonMapper.builder().build();

	private static Platform platform;

	private static Database database;

	private static String ownerToken;

	private static WhatsAppSandbox sandbox;

	/** Where every service exports its spans in this suite (OTLP/HTTP). */
	private static OtlpReceiver collector;

	@BeforeAll
	static void start() throws IOException, InterruptedException {
		Infrastructure infrastructure = RealInfrastructure.get();
		database = infrastructure.database();
		Path home = Path.of("").toAbsolutePath().getParent();
		int gatewayPort = FreePorts.next();
		List<Service> services = List.of(new Service("gateway-service", gatewayPort, FreePorts.next()),
				new Service("inbox-service", FreePorts.next(), FreePorts.next()),
				new Service("routing-service", FreePorts.next(), FreePorts.next()),
				new Service("audit-service", FreePorts.next(), FreePorts.next()),
				new Service("billing-service", FreePorts.next(), FreePorts.next()));
		String graphToken = Platform.Settings.randomJwtSecret();
		int identityPort = FreePorts.next();
		sandbox = WhatsAppSandbox.start(new WhatsAppSandbox.Settings(0, graphToken,
				URI.create("http://localhost:" + gatewayPort + "/webhooks/whatsapp"), TENANT.appSecret(),
				TENANT.phoneNumberId(), Duration.ofMillis(200)));
		Map<String, String> environment = new java.util.HashMap<>(
				Platform.Settings.sandboxEnvironment(sandbox.url(), graphToken));
		environment.put("LOGGING_LEVEL_DEV_SWITCHBOARD_SUPPORT_CONSUMER", "DEBUG");
		environment.put("LOGGING_LEVEL_DEV_SWITCHBOARD_GATEWAY_WEBHOOK", "DEBUG");
		environment.putAll(IdentityProvider.user("eve", "another-tenant", "OWNER"));
		collector = OtlpReceiver.start();
		environment.put("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT", collector.endpoint());
		environment.put("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_SCHEDULEDELAY", "500ms");
		platform = Platform.start(new Platform.Settings(home, Path.of("target/platform-logs").toAbsolutePath(),
				infrastructure.kafkaBootstrapServers(), new Platform.Settings.Database(database.host(), database.port(),
						database.name(), database.username(), database.password()),
				services, TENANT, Duration.ofSeconds(180), identityPort, environment));
		ownerToken = token("olivia");
	}

	@AfterAll
	static void stop() {
		if (platform != null) {
			platform.close();
		}
		if (sandbox != null) {
			sandbox.close();
		}
		if (collector != null) {
			collector.close();
		}
	}

	@Test
	void whenSignedWebhookArrivesThenEveryServiceRecordsItOnceAndTheInboxListsIt() throws Exception {
		String waId = "3933312" + (100_000 + (int) (Math.random() * 800_000));
		String wamid = "wamid." + UUID.randomUUID();
		Instant sentAt = Instant.now().minus(2, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
		String conversation = ConversationIds.of(TENANT.id(), waId);
		String body = WhatsAppWebhooks.textMessage(TENANT.phoneNumberId(), waId, "Giulia Rossi", wamid, sentAt,
				"Is my order shipped?");

		assertThat(postWebhook(body).statusCode()).isEqualTo(200);

		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
			JsonNode page = getJson("/api/v1/conversations?limit=100");
			assertThat(page.path("items").valueStream().map((item) -> item.path("id").asString()))
				.contains(conversation);
		});
		JsonNode messages = getJson("/api/v1/conversations/" + conversation + "/messages");
		assertThat(messages.path("items").get(0).path("body").asString()).isEqualTo("Is my order shipped?");
		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
			JsonNode window = getJson("/api/v1/conversations/" + conversation + "/window");
			assertThat(window.path("state").asString()).isEqualTo("OPEN");
			assertThat(window.path("expiresAt").asString()).isEqualTo(sentAt.plus(24, ChronoUnit.HOURS).toString());
		});
		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
			assertThat(count("SELECT count(*) FROM inbox.message WHERE wamid = ?", wamid)).isEqualTo(1);
			assertThat(count("SELECT count(*) FROM routing.conversation_window WHERE conversation_id = ?::uuid",
					conversation))
				.isEqualTo(1);
			assertThat(count("SELECT count(*) FROM audit.audit_entry WHERE conversation_id = ?::uuid AND event_type IN "
					+ "('dev.switchboard.inbox.message-received.v1', 'dev.switchboard.routing.window-opened.v1')",
					conversation))
				.isEqualTo(2);
			assertThat(count("SELECT count(*) FROM billing.tenant_conversation WHERE conversation_id = ?::uuid",
					conversation))
				.isEqualTo(1);
		});

		assertThat(postWebhook(body).statusCode()).as("Meta's retry of the same webhook").isEqualTo(200);
		String marker = "wamid." + UUID.randomUUID();
		String next = WhatsAppWebhooks.textMessage(TENANT.phoneNumberId(), waId, "Giulia Rossi", marker,
				sentAt.plusSeconds(30), "Thanks!");
		assertThat(postWebhook(next).statusCode()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(count(
					"SELECT count(*) FROM audit.audit_entry WHERE conversation_id = ?::uuid AND payload->>'wamid' = ?",
					conversation, marker))
				.isEqualTo(1));
		assertThat(count("SELECT count(*) FROM inbox.message WHERE wamid = ?", wamid)).isEqualTo(1);
		assertThat(count("SELECT count(*) FROM audit.audit_entry WHERE payload->>'wamid' = ?", wamid)).isEqualTo(1);
	}

	@Test
	void whenACustomerWritesAndAnAgentRepliesFromARegisteredDeviceThenTheTicksComeBackToReadAndTheOwnerSeesWhoSentIt()
			throws Exception {
		String waId = "3933398" + (100_000 + (int) (Math.random() * 800_000));
		String conversation = ConversationIds.of(TENANT.id(), waId);
		assertThat(sandbox.customerWrites(waId, "Giulia Rossi", "Where is my pizza?").webhookStatus()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(
					getJson("/api/v1/conversations/" + conversation + "/window").path("state").asString())
				.isEqualTo("OPEN"));

		String agentToken = token("mario");
		HttpResponse<String> device = send(ownerToken, "POST", "/api/v1/devices", null,
				"{\"name\":\"iPhone Mario %s\",\"kind\":\"PHONE\",\"agentId\":\"mario\"}".formatted(waId));
		assertThat(device.statusCode()).as(device.body()).isEqualTo(201);
		String deviceId = json.readTree(device.body()).path("id").asString();

		String reply = "{\"type\":\"text\",\"text\":\"On its way, 10 minutes!\"}";
		String messageId = await().atMost(Duration.ofSeconds(20)).until(() -> {
			HttpResponse<String> sent = send(agentToken, "POST", "/api/v1/conversations/" + conversation + "/messages",
					deviceId, reply);
			return (sent.statusCode() == 202) ? json.readTree(sent.body()).path("id").asString() : null;
		}, java.util.Objects::nonNull);

		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(getJson("/api/v1/messages/" + messageId).path("status").asString())
				.isEqualTo("READ"));
		assertThat(sandbox.sent()).anySatisfy((sent) -> {
			assertThat(sent.to()).isEqualTo(waId);
			assertThat(sent.payload()).contains("On its way, 10 minutes!");
		});
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			JsonNode info = getJson("/api/v1/messages/" + messageId + "/info");
			assertThat(info.toString()).contains(deviceId).contains("iPhone Mario").contains("mario");
			assertThat(info.toString()).containsPattern("(?i)read");
		});
		assertThat(getAs(agentToken, "/api/v1/messages/" + messageId + "/info").statusCode()).isEqualTo(403);
	}

	@Test
	void whenTheCustomerSendsEveryMessageTypeThroughTheGatewayThenEachIsStoredWithItsType() throws Exception {
		String waId = "3933397" + (100_000 + (int) (Math.random() * 800_000));
		String conversation = ConversationIds.of(TENANT.id(), waId);
		Map<String, String> objects = new java.util.LinkedHashMap<>();
		objects.put("text", "{\"body\":\"Hello\"}");
		objects.put("image", "{\"id\":\"1001\",\"mime_type\":\"image/jpeg\",\"caption\":\"Broken box\"}");
		objects.put("audio", "{\"id\":\"1002\",\"mime_type\":\"audio/ogg\",\"voice\":true}");
		objects.put("video", "{\"id\":\"1003\",\"mime_type\":\"video/mp4\"}");
		objects.put("document", "{\"id\":\"1004\",\"mime_type\":\"application/pdf\",\"filename\":\"a.pdf\"}");
		objects.put("sticker", "{\"id\":\"1005\",\"mime_type\":\"image/webp\"}");
		objects.put("location", "{\"latitude\":45.46,\"longitude\":9.19,\"name\":\"Duomo\"}");
		objects.put("contacts", "[{\"name\":{\"formatted_name\":\"Mario Rossi\"}}]");
		objects.put("interactive", "{\"type\":\"button_reply\",\"button_reply\":{\"id\":\"y\",\"title\":\"Yes\"}}");
		objects.put("button", "{\"payload\":\"STOP\",\"text\":\"Stop\"}");
		objects.put("reaction", "{\"message_id\":\"wamid.x\",\"emoji\":\"\\ud83d\\udc4d\"}");
		objects.put("unsupported", "{}");
		objects.put("order", "{\"catalog_id\":\"1\"}");
		long second = Instant.now().getEpochSecond() - 600;
		for (Map.Entry<String, String> entry : objects.entrySet()) {
			tools.jackson.databind.node.ObjectNode message = (tools.jackson.databind.node.ObjectNode) json
				.readTree("{\"from\":\"%s\",\"id\":\"wamid.%s\",\"timestamp\":\"%d\",\"type\":\"%s\",\"%s\":%s}"
					.formatted(waId, UUID.randomUUID(), second++, entry.getKey(), entry.getKey(), entry.getValue()));
			String body = dev.switchboard.sandbox.Webhooks.message(TENANT.phoneNumberId(), waId, "Giulia", message);
			assertThat(postWebhook(body).statusCode()).as(entry.getKey()).isEqualTo(200);
		}
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			JsonNode items = getJson("/api/v1/conversations/" + conversation + "/messages?limit=100").path("items");
			assertThat(items.valueStream().map((item) -> item.path("type").asString())).containsExactly("text", "image",
					"audio", "video", "document", "sticker", "location", "contacts", "interactive", "button",
					"reaction", "unsupported", "unsupported");
			assertThat(items.get(1).path("mediaId").asString()).isEqualTo("1001");
			assertThat(items.get(1).path("body").asString()).isEqualTo("Broken box");
		});
	}

	@Test
	void whenEachServiceIsAskedThenHealthAndPrometheusAnswer() throws Exception {
		for (String name : List.of("gateway-service", "inbox-service", "routing-service", "audit-service",
				"billing-service")) {
			Service service = platform.service(name);
			assertThat(get(service.managementUrl() + "/actuator/health").statusCode()).as(name + " health")
				.isEqualTo(200);
			HttpRequest.Builder scrape = HttpRequest
				.newBuilder(URI.create(service.managementUrl() + "/actuator/prometheus"));
			if (name.equals("gateway-service")) {
				scrape.header("Authorization", "Bearer " + token("sam"));
			}
			HttpResponse<String> metrics = http.send(scrape.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(metrics.statusCode()).as(name + " prometheus").isEqualTo(200);
			assertThat(metrics.body()).contains("application=\"" + name + "\"");
			// The actuator is on the management port only.
			assertThat(get(service.url() + "/actuator/health").statusCode()).as(name + " API port").isNotEqualTo(200);
		}
	}

	@Test
	void whenAnotherTenantOrNoOneAsksForAConversationThenNotFoundOrUnauthorized() throws Exception {
		String waId = "4917" + (1_000_000 + (int) (Math.random() * 8_000_000));
		String conversation = ConversationIds.of(TENANT.id(), waId);
		String body = WhatsAppWebhooks.textMessage(TENANT.phoneNumberId(), waId, "Jonas", "wamid." + UUID.randomUUID(),
				Instant.now(), "Hallo");
		assertThat(postWebhook(body).statusCode()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(
					getAs(ownerToken, "/api/v1/conversations/" + conversation + "/window").statusCode())
				.isEqualTo(200));

		String intruder = token("eve");
		for (String path : List.of("/api/v1/conversations/" + conversation + "/messages",
				"/api/v1/conversations/" + conversation + "/window")) {
			HttpResponse<String> response = getAs(intruder, path);
			assertThat(response.statusCode()).as(path).isEqualTo(404);
			assertThat(response.headers().firstValue("Content-Type"))
				.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
			assertThat(response.body()).doesNotContain("Hallo");
		}
		assertThat(getAs(intruder, "/api/v1/conversations").body()).doesNotContain(conversation);
		assertThat(getAs(null, "/api/v1/conversations").statusCode()).isEqualTo(401);
		HttpResponse<String> forged = http.send(HttpRequest.newBuilder(URI.create(gateway() + "/api/v1/conversations"))
			.header("X-Switchboard-Tenant", TENANT.id())
			.header("X-Switchboard-Subject", "olivia")
			.header("X-Switchboard-Roles", "OWNER")
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(forged.statusCode()).as("identity headers from a client are ignored").isEqualTo(401);
		for (String[] service : List.of(new String[] { "inbox-service", "/api/v1/conversations" },
				new String[] { "routing-service", "/api/v1/agents" },
				new String[] { "audit-service", "/api/v1/devices" },
				new String[] { "billing-service", "/api/v1/billing/plan" })) {
			HttpResponse<String> direct = http
				.send(HttpRequest.newBuilder(URI.create(platform.service(service[0]).url() + service[1]))
					.header("X-Switchboard-Tenant", TENANT.id())
					.header("X-Switchboard-Subject", "olivia")
					.header("X-Switchboard-Roles", "OWNER")
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(direct.statusCode()).as("forged identity straight to " + service[0]).isEqualTo(401);
		}
		HttpResponse<String> agentCreatesKey = http
			.send(HttpRequest.newBuilder(URI.create(gateway() + "/api/v1/api-keys"))
				.header("Authorization", "Bearer " + token("mario"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"x\",\"roles\":[\"OWNER\"]}"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(agentCreatesKey.statusCode()).isEqualTo(403);
	}

	@Test
	void whenThePlatformDocumentIsAskedThenItHoldsEveryServicesRoutes() throws Exception {
		HttpResponse<String> platformDocument = platformDocument();
		assertThat(platformDocument.statusCode()).isEqualTo(200);
		JsonNode document = json.readTree(platformDocument.body());
		assertThat(document.has("x-switchboard-unavailable")).as(platformDocument.body()).isFalse();
		for (String name : List.of("inbox-service", "routing-service", "audit-service", "billing-service")) {
			JsonNode own = json.readTree(get(platform.service(name).url() + "/v3/api-docs").body());
			assertThat(ApiDocumentation.paths(document)).as(name).containsAll(ApiDocumentation.paths(own));
		}
		assertThat(ApiDocumentation.paths(document)).contains("/webhooks/whatsapp", "/api/v1/api-keys",
				"/api/v1/conversations", "/api/v1/conversations/{conversationId}/messages",
				"/api/v1/conversations/{conversationId}/window");
		assertThat(get(gateway() + "/swagger-ui.html").statusCode()).isIn(200, 302);
	}

	@Test
	void whenThePlatformDocumentIsParsedThenItIsAValidOpenApiDocument() throws Exception {
		HttpResponse<String> platformDocument = platformDocument();
		assertThat(platformDocument.statusCode()).isEqualTo(200);
		// Kept for a look by hand (or a linter) after the run.
		java.nio.file.Files.writeString(Path.of("target/platform-api-docs.json"), platformDocument.body());
		assertThat(json.readTree(platformDocument.body()).has("x-switchboard-unavailable")).isFalse();
		assertThat(OpenApiChecks.problems(platformDocument.body())).isEmpty();
		// One schema of a name: two services' different schemas of one name would leave
		// one service's references pointing at the other's.
		JsonNode schemas = json.readTree(platformDocument.body()).path("components").path("schemas");
		for (String name : List.of("gateway-service", "inbox-service", "routing-service", "audit-service",
				"billing-service")) {
			String path = name.equals("gateway-service") ? "/v3/api-docs/gateway" : "/v3/api-docs";
			JsonNode own = json.readTree(get(platform.service(name).url() + path).body());
			for (Map.Entry<String, JsonNode> schema : own.path("components").path("schemas").properties()) {
				assertThat(schemas.get(schema.getKey())).as(name + "'s schema " + schema.getKey())
					.isEqualTo(schema.getValue());
			}
		}
	}

	@Test
	void whenAWebhookCarriesATraceContextThenEveryServiceLogsItsTraceId() throws Exception {
		String traceId = UUID.randomUUID().toString().replace("-", "");
		assertThat(postTracedWebhook(traceId, "3480", "Lucia", "trace me").statusCode()).isEqualTo(200);
		Path logs = Path.of("target/platform-logs");
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(
					List.of("gateway-service", "inbox-service", "routing-service", "audit-service", "billing-service"))
				.allSatisfy((service) -> assertThat(java.nio.file.Files.readString(logs.resolve(service + ".log")))
					.as(service + " log")
					.contains(traceId)));
	}

	@Test
	void whenTracesAreExportedThenEveryServiceSendsItsSpansOfAWebhookToTheCollector() throws Exception {
		String traceId = UUID.randomUUID().toString().replace("-", "");
		assertThat(postTracedWebhook(traceId, "3481", "Marta", "trace me over OTLP").statusCode()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(collector.spans()
				.stream()
				.filter((span) -> span.traceId().equals(traceId))
				.map(OtlpReceiver.ExportedSpan::service)
				.distinct()).containsExactlyInAnyOrder("gateway-service", "inbox-service", "routing-service",
						"audit-service", "billing-service"));
		assertThat(collector.spans()).anySatisfy((span) -> {
			assertThat(span.traceId()).isEqualTo(traceId);
			assertThat(span.service()).isEqualTo("gateway-service");
			assertThat(span.kind()).isEqualTo("SPAN_KIND_SERVER");
		});
	}

	private static HttpResponse<String> postWebhook(String body) throws IOException, InterruptedException {
		return http.send(HttpRequest.newBuilder(URI.create(gateway() + "/webhooks/whatsapp"))
			.header("Content-Type", "application/json")
			.header("X-Hub-Signature-256", WhatsAppWebhooks.signature(TENANT.appSecret(), body))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static HttpResponse<String> send(String token, String method, String path, String deviceId, String body)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway() + path))
			.header("Authorization", "Bearer " + token)
			.header("Content-Type", "application/json")
			.method(method, HttpRequest.BodyPublishers.ofString(body));
		if (deviceId != null) {
			request.header("X-Device-Id", deviceId);
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static JsonNode getJson(String path) throws IOException, InterruptedException {
		HttpResponse<String> response = getAs(ownerToken, path);
		assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
		return json.readTree(response.body());
	}

	private static HttpResponse<String> getAs(String token, String path) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway() + path));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * A token of the local provider, as a script gets one ({@code client_credentials}).
	 */
	private static String token(String user) throws IOException, InterruptedException {
		return IdentityProvider.token(http, platform.issuer(), user);
	}

	/**
	 * The gateway's merged document once every service's part is in it: a service that is
	 * slow to answer for its first document (a cold JVM on a loaded machine) is named
	 * unavailable for that request only, and a client asks again.
	 */
	private static HttpResponse<String> platformDocument() {
		return await().atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofSeconds(2))
			.until(() -> get(gateway() + "/v3/api-docs"), (response) -> response.statusCode() != 200
					|| !json.readTree(response.body()).has("x-switchboard-unavailable"));
	}

	/**
	 * A new customer's signed message whose request carries a sampled W3C trace context
	 * (flags 01): every service records its part of that trace.
	 */
	private static HttpResponse<String> postTracedWebhook(String traceId, String waIdPrefix, String name, String text)
			throws IOException, InterruptedException {
		String waId = waIdPrefix + (1_000_000 + (int) (Math.random() * 8_000_000));
		String body = WhatsAppWebhooks.textMessage(TENANT.phoneNumberId(), waId, name, "wamid." + UUID.randomUUID(),
				Instant.now(), text);
		return http.send(HttpRequest.newBuilder(URI.create(gateway() + "/webhooks/whatsapp"))
			.header("Content-Type", "application/json")
			.header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
			.header("X-Hub-Signature-256", WhatsAppWebhooks.signature(TENANT.appSecret(), body))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
		return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String gateway() {
		return platform.service("gateway-service").url();
	}

	private static long count(String sql, String... parameters) throws SQLException {
		try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.username(),
				database.password()); PreparedStatement statement = connection.prepareStatement(sql)) {
			for (int i = 0; i < parameters.length; i++) {
				statement.setString(i + 1, parameters[i]);
			}
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				return result.getLong(1);
			}
		}
	}

}

package dev.switchboard.local;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.switchboard.events.ConversationIds;
import dev.switchboard.testsupport.WhatsAppWebhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The black-box security suite: the platform as {@code ./start-local} starts it (the same
 * {@link Platform}, environment and local OpenID Connect provider), attacked only from
 * outside: straight at the services' ports, through the gateway with roleless tokens,
 * another tenant's strongest user, forged, foreign and unsigned tokens, SSRF URLs,
 * unsigned webhooks, oversized bodies, and a superuser who cuts the audit log.
 */
class SecurityBoundaryIT {

	private static final DemoTenant TENANT = Gateway.TENANT;

	private static final String OTHER_TENANT = "rival-" + UUID.randomUUID();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Duration POLL = Duration.ofMillis(300);

	private static final List<String> SERVICES = List.of("inbox-service", "routing-service", "audit-service",
			"billing-service");

	/** A read of each service's API that a demo OWNER may call through the gateway. */
	private static final Map<String, String> SERVICE_READS = Map.of("inbox-service", "/api/v1/labels",
			"routing-service", "/api/v1/teams", "audit-service", "/api/v1/devices", "billing-service",
			"/api/v1/billing/plan");

	private static final List<String> METHODS = List.of("get", "post", "put", "patch", "delete");

	/**
	 * Operations whose path names a resource by a name the caller chooses (an upsert):
	 * another tenant calling them with the demo tenant's name creates its own.
	 */
	private static final List<String> CALLER_NAMED = List.of("PUT /api/v1/agents/{agentId}");

	private static final int PARALLEL_CALLS = 6;

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private static Gateway gateway;

	private static @Nullable Process foreignIssuer;

	private static @Nullable Process foreignAudience;

	private static int foreignIssuerPort;

	private static int foreignAudiencePort;

	private static String owner;

	private static String roleless;

	private static String rival;

	/** Ids of real resources of the demo tenant, by kind. */
	private static final Map<String, String> demo = new LinkedHashMap<>();

	@BeforeAll
	static void start() throws Exception {
		Path logs = Path.of("target/security-boundary-logs").toAbsolutePath();
		// A second provider, started first so that it boots beside the platform: its
		// tokens name another issuer and are signed by another key.
		foreignIssuerPort = FreePorts.next();
		foreignIssuer = provider(foreignIssuerPort, Map.of(), logs);
		Map<String, String> environment = new HashMap<>(
				// The suite calls every operation at once: the tenant limit is not under
				// test.
				Map.of("SWITCHBOARD_GATEWAY_RATELIMIT_PERTENANT_CAPACITY", "100000",
						"SWITCHBOARD_GATEWAY_RATELIMIT_PERTENANT_REFILLPERSECOND", "1000"));
		environment.putAll(IdentityProvider.user("rex", OTHER_TENANT, "OWNER", "ADMIN", "FINANCE", "AGENT"));
		gateway = Gateway.start(logs, environment);
		// A third provider that claims the platform's issuer but gives tokens another
		// audience.
		foreignAudiencePort = FreePorts.next();
		foreignAudience = provider(foreignAudiencePort,
				Map.of("SWITCHBOARD_IDENTITY_ISSUER", gateway.issuer(), "SWITCHBOARD_IDENTITY_AUDIENCE", "elsewhere"),
				logs);
		owner = gateway.token("olivia");
		roleless = gateway.token("nora");
		rival = gateway.token("rex");
		createDemoResources();
		await().atMost(Duration.ofMinutes(2))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> IdentityProvider.isReady(HTTP, IdentityProvider.issuer(foreignIssuerPort))
					&& IdentityProvider.isReady(HTTP, IdentityProvider.issuer(foreignAudiencePort)));
	}

	@AfterAll
	static void stop() {
		for (Process process : new Process[] { foreignIssuer, foreignAudience }) {
			if (process != null) {
				process.destroy();
			}
		}
		if (gateway != null) {
			gateway.close();
		}
	}

	// a. Only the gateway speaks for a caller.

	@Test
	void whenIdentityHeadersAreForgedStraightToAServiceThenUnauthorized() throws Exception {
		for (String service : SERVICES) {
			HttpResponse<String> response = direct(service, null, "X-Switchboard-Tenant", TENANT.id(),
					"X-Switchboard-Subject", "olivia", "X-Switchboard-Roles", "OWNER,ADMIN,FINANCE,AGENT,SRE,OPERATOR");
			assertThat(response.statusCode()).as(service + " with forged headers: " + response.body()).isEqualTo(401);
		}
	}

	@Test
	void whenAProviderTokenIsSentStraightToAServiceThenUnauthorized() throws Exception {
		for (String service : SERVICES) {
			assertThat(gateway.get(owner, SERVICE_READS.get(service)).statusCode()).as(service + " through the gateway")
				.isEqualTo(200);
			HttpResponse<String> response = direct(service, owner);
			assertThat(response.statusCode()).as(service + " with a user's token: " + response.body()).isEqualTo(401);
		}
	}

	// b. Every operation of the platform's document: roleless 403, another tenant 404.

	@Test
	void whenARolelessUserCallsEveryOperationThenForbidden() throws Exception {
		List<Operation> operations = protectedOperations();
		assertThat(operations).hasSizeGreaterThan(30);
		List<String> wrong = new ArrayList<>();
		// A few at a time: the services share this machine's cores with the build.
		for (int first = 0; first < operations.size(); first += PARALLEL_CALLS) {
			List<CompletableFuture<String>> calls = new ArrayList<>();
			for (Operation operation : operations.subList(first, Math.min(first + PARALLEL_CALLS, operations.size()))) {
				HttpRequest request = operation.request(roleless, (name, segment, schema) -> placeholder(schema));
				calls.add(HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString())
					.thenApply((response) -> (response.statusCode() == 403) ? null
							: operation + " -> " + response.statusCode() + " " + abbreviate(response.body())));
			}
			calls.stream().map(CompletableFuture::join).filter(Objects::nonNull).forEach(wrong::add);
		}
		assertThat(wrong).as("operations that did not answer a roleless token 403").isEmpty();
	}

	@Test
	void whenAnotherTenantCallsEveryOperationWithTheDemoTenantsIdsThenNotFound() throws Exception {
		List<Operation> operations = new ArrayList<>(
				protectedOperations().stream().filter((operation) -> operation.template().contains("{")).toList());
		// Reads first, deletions last, so that nothing a later call needs is gone if a
		// check fails.
		operations.sort(Comparator.comparingInt((Operation operation) -> switch (operation.method()) {
			case "GET" -> 0;
			case "DELETE" -> 2;
			default -> 1;
		}));
		List<String> uncovered = new ArrayList<>();
		List<String> forbidden = new ArrayList<>();
		List<String> wrong = new ArrayList<>();
		List<String> ownCreated = new ArrayList<>();
		for (Operation operation : operations) {
			List<String> missing = new ArrayList<>();
			HttpRequest request = operation.request(rival, (name, segment, schema) -> {
				String id = demoId(name, segment);
				if (id == null) {
					missing.add(name);
					return placeholder(schema);
				}
				return id;
			});
			if (!missing.isEmpty()) {
				uncovered.add(operation + " (no demo resource for " + missing + ")");
				continue;
			}
			HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
			if (CALLER_NAMED.contains(operation.toString()) && response.statusCode() / 100 == 2) {
				// The name is the caller's to choose: this made the rival's own resource,
				// and the demo tenant's stays as it was (checked below).
				ownCreated.add(operation.toString());
				continue;
			}
			switch (response.statusCode()) {
				case 404 -> {
				}
				case 403 -> forbidden.add(operation.toString());
				default -> wrong.add(operation + " -> " + response.statusCode() + " " + abbreviate(response.body()));
			}
		}
		System.out.println("SecurityBoundaryIT: another tenant's calls with the demo tenant's ids; "
				+ (operations.size() - uncovered.size()) + " covered; 403 (role may not call it) for " + forbidden
				+ "; created in the rival's own tenant (caller-named): " + ownCreated + "; not covered: " + uncovered);
		assertThat(wrong).as("operations that did not answer another tenant's ids 404 (or 403)").isEmpty();
		assertThat(uncovered).as("operations the suite has no demo resource for").isEmpty();
		// The demo tenant's resources are all still there and unchanged.
		assertThat(gateway.ok(owner, "GET", "/api/v1/devices/" + demo.get("device"), null).path("state").asString())
			.isEqualTo("ACTIVE");
		assertThat(gateway.get(owner, "/api/v1/labels?limit=200").body()).contains(demo.get("label"));
		assertThat(gateway.get(owner, "/api/v1/quick-replies?limit=200").body()).contains(demo.get("quickReply"));
		assertThat(gateway.get(owner, "/api/v1/api-keys?limit=100").body()).contains(demo.get("apiKey"));
		assertThat(gateway.ok(owner, "GET", "/api/v1/teams/" + demo.get("team"), null).path("members").toString())
			.contains(demo.get("agent"));
		assertThat(gateway.ok(owner, "GET", "/api/v1/agents/" + demo.get("agent"), null).path("displayName").asString())
			.isEqualTo("Ada");
	}

	// c. The local provider serves its discovery document and keys.

	@Test
	void whenTheProvidersDiscoveryDocumentAndKeysAreAskedThenTheyServe() throws Exception {
		HttpResponse<String> discovery = HTTP.send(
				HttpRequest.newBuilder(URI.create(gateway.issuer() + "/.well-known/openid-configuration")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(discovery.statusCode()).isEqualTo(200);
		JsonNode document = JSON.readTree(discovery.body());
		assertThat(document.path("issuer").asString()).isEqualTo(gateway.issuer());
		HttpResponse<String> keys = HTTP.send(
				HttpRequest.newBuilder(URI.create(document.path("jwks_uri").asString())).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(keys.statusCode()).isEqualTo(200);
		assertThat(JSON.readTree(keys.body()).path("keys").isEmpty()).as(keys.body()).isFalse();
		assertThat(JSON.readTree(keys.body()).path("keys").get(0).has("d")).as("no private key").isFalse();
	}

	// d. Only the platform's provider, its audience, and tokens that expire.

	@Test
	void whenATokenHasTheWrongIssuerAudienceOrNoExpiryThenUnauthorized() throws Exception {
		String otherIssuer = IdentityProvider.token(HTTP, IdentityProvider.issuer(foreignIssuerPort), "olivia");
		assertThat(claims(otherIssuer).path("iss").asString()).isNotEqualTo(gateway.issuer());
		unauthorized(otherIssuer, "another issuer's token");

		String otherAudience = IdentityProvider.token(HTTP, IdentityProvider.issuer(foreignAudiencePort), "olivia");
		assertThat(claims(otherAudience).path("iss").asString()).isEqualTo(gateway.issuer());
		assertThat(claims(otherAudience).path("aud").toString()).contains("elsewhere").doesNotContain("switchboard");
		unauthorized(otherAudience, "a token for another audience");

		ObjectNode noExpiry = (ObjectNode) claims(owner).deepCopy();
		noExpiry.remove("exp");
		String kid = claims(owner, 0).path("kid").asString();
		unauthorized(unsigned(noExpiry), "an unsigned token without exp");
		unauthorized(signedByAForeignKey(kid, noExpiry), "a token without exp signed by a foreign key");
		ObjectNode copied = (ObjectNode) claims(owner).deepCopy();
		unauthorized(unsigned(copied), "the owner's claims, unsigned");
	}

	// e. CRM webhook URLs cannot be aimed inside.

	@Test
	void whenAWebhookSubscriptionAimsInsideThenBadRequestAndNothingStored() throws Exception {
		long before = gateway.count("SELECT count(*) FROM inbox.crm_subscription WHERE tenant_id = ?", TENANT.id());
		for (String url : List.of("http://127.0.0.1", "https://10.0.0.1", "https://169.254.169.254", "https://[::1]",
				"https://localhost", "http://127.0.0.1:9081/actuator/prometheus", "https://[::ffff:127.0.0.1]")) {
			HttpResponse<String> response = gateway.call(owner, "POST", "/api/v1/webhook-subscriptions",
					"{\"url\":\"%s\",\"eventTypes\":[\"MESSAGE_RECEIVED\"]}".formatted(url));
			assertThat(response.statusCode()).as(url + ": " + response.body()).isEqualTo(400);
			assertThat(response.headers().firstValue("Content-Type")).as(url)
				.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
			assertThat(gateway.count("SELECT count(*) FROM inbox.crm_subscription WHERE url = ?", url)).as(url)
				.isZero();
		}
		assertThat(gateway.count("SELECT count(*) FROM inbox.crm_subscription WHERE tenant_id = ?", TENANT.id()))
			.isEqualTo(before);
	}

	// f. Webhooks: the signature first, one answer for every unsigned body.

	@Test
	void whenAnUnsignedWebhookNamesAnUnknownNumberThenTheSameUnauthorizedAsForAKnownOne() throws Exception {
		String waId = "3933373" + (100_000 + (int) (Math.random() * 800_000));
		String unknown = WhatsAppWebhooks.textMessage("999" + (100_000 + (int) (Math.random() * 800_000)), waId, "Eve",
				"wamid.u", Instant.EPOCH, "hi");
		String known = WhatsAppWebhooks.textMessage(TENANT.phoneNumberId(), waId, "Eve", "wamid.u", Instant.EPOCH,
				"hi");
		HttpResponse<String> unknownAnswer = gateway.call(null, "POST", "/webhooks/whatsapp", unknown);
		HttpResponse<String> knownAnswer = gateway.call(null, "POST", "/webhooks/whatsapp", known);
		assertThat(unknownAnswer.statusCode()).as(unknownAnswer.body()).isEqualTo(401);
		assertThat(knownAnswer.statusCode()).as(knownAnswer.body()).isEqualTo(401);
		assertThat(unknownAnswer.body()).isEqualTo(knownAnswer.body());
		assertThat(unknownAnswer.headers().firstValue("Content-Type"))
			.isEqualTo(knownAnswer.headers().firstValue("Content-Type"));
		assertThat(gateway.count("SELECT count(*) FROM inbox.contact WHERE wa_id = ?", waId)).isZero();
	}

	// g. The gateway does not buffer more than it allows.

	@Test
	void whenAnIdempotentPostIsTwoMebibytesThenPayloadTooLarge() throws Exception {
		String name = "x".repeat(2 * 1024 * 1024);
		HttpResponse<String> response = gateway.call(owner, "POST", "/api/v1/labels",
				"{\"name\":\"%s\",\"color\":\"#000000\"}".formatted(name), "Idempotency-Key",
				UUID.randomUUID().toString());
		assertThat(response.statusCode()).isEqualTo(413);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
	}

	// h. The audit log's tail cannot be cut unnoticed, even by a superuser.

	@Test
	void whenTheLogsTailAndItsTreeHeadsAreDeletedInSqlThenVerifyFails() throws Exception {
		// The rival's own log, so that other tests on this database keep a sound demo
		// log: its devices' changes are audited.
		String tenant = OTHER_TENANT;
		for (int i = 0; i < 2; i++) {
			String device = gateway
				.ok(rival, "POST", "/api/v1/devices",
						"{\"name\":\"Ledger %d\",\"kind\":\"WEB\",\"agentId\":\"rex\"}".formatted(i))
				.path("id")
				.asString();
			gateway.ok(rival, "PATCH", "/api/v1/devices/" + device, "{\"name\":\"Ledger %d renamed\"}".formatted(i));
		}
		// The changes reach the log asynchronously: wait until it is complete and quiet.
		AtomicLong last = new AtomicLong(-1);
		await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).until(() -> {
			long size = gateway.count("SELECT count(*) FROM audit.audit_entry WHERE tenant_id = ?", tenant);
			return size >= 4 && size == last.getAndSet(size);
		});
		JsonNode head = gateway.ok(rival, "POST", "/api/v1/audit/tree-heads", null);
		long size = head.path("treeSize").asLong();
		assertThat(size).isGreaterThanOrEqualTo(4);
		JsonNode before = gateway.ok(rival, "GET", "/api/v1/audit/verify", null);
		assertThat(before.path("valid").asBoolean()).as(before.toString()).isTrue();

		long cut = size - 1;
		String quoted = "'" + tenant.replace("'", "''") + "'";
		gateway.execute("ALTER TABLE audit.audit_entry DISABLE TRIGGER audit_entry_append_only",
				"ALTER TABLE audit.audit_tree_head DISABLE TRIGGER audit_tree_head_append_only",
				"DELETE FROM audit.audit_entry WHERE tenant_id = " + quoted + " AND log_index >= " + cut,
				"DELETE FROM audit.audit_tree_head WHERE tenant_id = " + quoted + " AND tree_size > " + cut,
				"UPDATE audit.audit_log_size SET size = " + cut + " WHERE tenant_id = " + quoted,
				"ALTER TABLE audit.audit_entry ENABLE TRIGGER audit_entry_append_only",
				"ALTER TABLE audit.audit_tree_head ENABLE TRIGGER audit_tree_head_append_only");

		JsonNode after = gateway.ok(rival, "GET", "/api/v1/audit/verify", null);
		assertThat(after.path("valid").asBoolean()).as("verify after the tail was cut: " + after).isFalse();
	}

	// The demo tenant's resources, created through the API as its users would.

	private static void createDemoResources() throws Exception {
		String admin = gateway.token("adam");
		String agent = gateway.token("mario");
		String finance = gateway.token("fiona");
		String waId = "3933374" + (100_000 + (int) (Math.random() * 800_000));
		String conversation = ConversationIds.of(TENANT.id(), waId);
		assertThat(gateway.sandbox().customerWrites(waId, "Carla Bruni", "Where is order 4712?").webhookStatus())
			.isEqualTo(200);
		await().atMost(Duration.ofSeconds(60))
			.pollInterval(POLL)
			.untilAsserted(() -> assertThat(
					gateway.get(owner, "/api/v1/conversations/" + conversation + "/window").statusCode())
				.isEqualTo(200));
		demo.put("conversation", conversation);
		String device = gateway
			.ok(owner, "POST", "/api/v1/devices",
					"{\"name\":\"Suite %s\",\"kind\":\"WEB\",\"agentId\":\"mario\"}"
						.formatted(UUID.randomUUID().toString().substring(0, 8)))
			.path("id")
			.asString();
		demo.put("device", device);
		String message = await().atMost(Duration.ofSeconds(30)).pollInterval(POLL).until(() -> {
			HttpResponse<String> sent = gateway.call(agent, "POST",
					"/api/v1/conversations/" + conversation + "/messages",
					"{\"type\":\"text\",\"text\":\"On its way\"}", "X-Device-Id", device);
			return (sent.statusCode() == 202) ? Gateway.json(sent).path("id").asString() : null;
		}, Objects::nonNull);
		demo.put("message", message);
		String contacts = await().atMost(Duration.ofSeconds(30)).pollInterval(POLL).until(() -> {
			HttpResponse<String> list = gateway.get(owner, "/api/v1/contacts?limit=200");
			return list.body().contains(waId) ? list.body() : null;
		}, Objects::nonNull);
		demo.put("contact", Objects.requireNonNull(idOf(JSON.readTree(contacts), waId), contacts));
		demo.put("label",
				gateway
					.ok(admin, "POST", "/api/v1/labels",
							"{\"name\":\"suite-%s\",\"color\":\"#fdd835\"}"
								.formatted(UUID.randomUUID().toString().substring(0, 8)))
					.path("id")
					.asString());
		demo.put("quickReply",
				gateway
					.ok(admin, "POST", "/api/v1/quick-replies",
							"{\"shortcut\":\"suite%s\",\"text\":\"Open 9-17\"}"
								.formatted(UUID.randomUUID().toString().substring(0, 8)))
					.path("id")
					.asString());
		String team = "suite-" + UUID.randomUUID().toString().substring(0, 8);
		gateway.ok(admin, "POST", "/api/v1/teams",
				"{\"teamId\":\"%s\",\"name\":\"Suite\",\"strategy\":\"ROUND_ROBIN\",\"isDefault\":false}"
					.formatted(team));
		demo.put("team", team);
		String member = "ada-" + UUID.randomUUID().toString().substring(0, 8);
		gateway.ok(admin, "PUT", "/api/v1/agents/" + member,
				"{\"displayName\":\"Ada\",\"capacity\":3,\"skills\":[\"it\"]}");
		gateway.ok(admin, "PUT", "/api/v1/teams/" + team + "/members/" + member, null);
		demo.put("agent", member);
		demo.put("rule",
				gateway
					.ok(admin, "POST", "/api/v1/routing/rules",
							"{\"priority\":7,\"kind\":\"KEYWORD\",\"match\":\"suite\",\"teamId\":\"%s\"}"
								.formatted(team))
					.path("ruleId")
					.asString());
		demo.put("apiKey",
				gateway
					.ok(owner, "POST", "/api/v1/api-keys",
							"{\"name\":\"Suite %s\",\"roles\":[\"AGENT\"]}".formatted(UUID.randomUUID()))
					.path("id")
					.asString());
		HttpResponse<String> plan = gateway.call(owner, "PUT", "/api/v1/billing/plan", "{\"plan\":\"PREMIUM\"}");
		assertThat(plan.statusCode()).as(plan.body()).isIn(200, 409);
		demo.put("invoice",
				gateway
					.ok(finance, "POST", "/api/v1/billing/invoices",
							"{\"month\":\"%s\"}".formatted(YearMonth.now(ZoneOffset.UTC)))
					.path("id")
					.asString());
		demo.put("subscription", subscription());
		// Prices are the platform OPERATOR's to set for a tenant, or (before that role)
		// the
		// tenant's FINANCE's.
		demo.put("priceList", platformOrTenant(finance, "/api/v1/billing/price-lists",
				"{\"name\":\"suite\",\"currency\":\"EUR\",\"effectiveFrom\":\"%s\",\"tenantId\":\"%s\",\"plans\":["
					.formatted(YearMonth.now(ZoneOffset.UTC).plusMonths(6).atDay(1), TENANT.id())
						+ "{\"plan\":\"STANDARD\",\"monthlyFeeMinor\":0,\"maxDevices\":4,\"maxPhones\":1},"
						+ "{\"plan\":\"PREMIUM\",\"monthlyFeeMinor\":3900,\"maxDevices\":12,\"maxPhones\":6}]}"));
		demo.put("rateCard", platformOrTenant(finance, "/api/v1/billing/rate-cards",
				"{\"name\":\"suite\",\"currency\":\"EUR\",\"effectiveFrom\":\"%s\",\"tenantId\":\"%s\",\"prices\":["
					.formatted(Instant.now().plus(Duration.ofDays(180)), TENANT.id())
						+ "{\"category\":\"MARKETING\",\"price\":\"0.0800\"},"
						+ "{\"category\":\"UTILITY\",\"price\":\"0.0300\"},"
						+ "{\"category\":\"AUTHENTICATION\",\"price\":\"0.0400\"}]}"));
		assertThat(demo.values()).allSatisfy((id) -> assertThat(id).isNotBlank());
	}

	private static String platformOrTenant(String finance, String path, String body) throws Exception {
		HttpResponse<String> created = gateway.call(finance, "POST", path, body);
		if (created.statusCode() != 201) {
			created = gateway.call(gateway.token("oscar"), "POST", path, body);
		}
		assertThat(created.statusCode()).as(path + ": " + created.body()).isEqualTo(201);
		return Gateway.json(created).path("id").asString();
	}

	/**
	 * A CRM webhook subscription of the demo tenant: through the API when its URL
	 * resolves here, else written as the inbox writes it (the build machines resolve no
	 * public names, and the URL policy rightly refuses everything else).
	 */
	private static String subscription() throws Exception {
		HttpResponse<String> created = gateway.call(owner, "POST", "/api/v1/webhook-subscriptions",
				"{\"url\":\"https://crm.example.com/switchboard\",\"eventTypes\":[\"MESSAGE_RECEIVED\"]}");
		if (created.statusCode() == 201) {
			return Gateway.json(created).path("id").asString();
		}
		String id = UUID.randomUUID().toString();
		// Inactive, so that no delivery is attempted; the secret column is plaintext or
		// sealed, as the inbox's migrations left it.
		boolean sealed = gateway.count("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'inbox' "
				+ "AND table_name = 'crm_subscription' AND column_name = ?", "secret_sealed") > 0;
		gateway.execute("INSERT INTO inbox.crm_subscription (id, tenant_id, url, event_types, "
				+ (sealed ? "secret_sealed" : "secret") + ", active, created_by, created_at) VALUES ('" + id + "', '"
				+ TENANT.id() + "', 'https://crm.example.com/switchboard', ARRAY['MESSAGE_RECEIVED'], "
				+ (sealed ? "'\\x00'::bytea" : "'whsec_suite'") + ", false, 'olivia', now())");
		return id;
	}

	/**
	 * The id of the object in a listing that carries a value (e.g. a contact's wa_id).
	 */
	private static @Nullable String idOf(JsonNode node, String value) {
		if (node.isObject()) {
			for (Map.Entry<String, JsonNode> field : node.properties()) {
				if (field.getValue().isString() && field.getValue().asString().equals(value) && node.has("id")) {
					return node.path("id").asString();
				}
			}
		}
		for (JsonNode child : node) {
			String id = idOf(child, value);
			if (id != null) {
				return id;
			}
		}
		return null;
	}

	/**
	 * The demo resource a path parameter names: by its name, or for a bare {@code id} by
	 * the collection before it.
	 */
	private static @Nullable String demoId(String name, String collection) {
		String kind = switch (name) {
			case "conversationId" -> "conversation";
			case "messageId" -> "message";
			case "labelId" -> "label";
			case "contactId" -> "contact";
			case "agentId" -> "agent";
			case "teamId" -> "team";
			case "ruleId" -> "rule";
			case "logIndex" -> "logIndex";
			default -> switch (collection) {
				case "conversations" -> "conversation";
				case "messages" -> "message";
				case "devices" -> "device";
				case "labels" -> "label";
				case "quick-replies" -> "quickReply";
				case "contacts" -> "contact";
				case "api-keys" -> "apiKey";
				case "webhook-subscriptions" -> "subscription";
				case "invoices" -> "invoice";
				case "teams" -> "team";
				case "agents" -> "agent";
				case "rules" -> "rule";
				case "price-lists" -> "priceList";
				case "rate-cards" -> "rateCard";
				default -> null;
			};
		};
		if (kind == null) {
			return null;
		}
		return switch (kind) {
			// The demo tenant's log has an entry 0; the rival's log is its own.
			case "logIndex" -> "0";
			default -> demo.get(kind);
		};
	}

	/** A value of a path parameter that names nothing of the caller's. */
	private static String placeholder(JsonNode schema) {
		return switch (schema.path("type").asString("")) {
			case "integer", "number" -> Long.toString(1_000_000 + (long) (Math.random() * 1_000_000_000));
			default -> UUID.randomUUID().toString();
		};
	}

	// The platform's OpenAPI document.

	private static List<Operation> protectedOperations() throws IOException, InterruptedException {
		// A service slow to answer for its first document (a cold JVM on a loaded
		// machine) is
		// named unavailable for that request only: ask again until every part is merged.
		HttpResponse<String> response = await().atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofSeconds(2))
			.until(() -> gateway.get(null, "/v3/api-docs"), (answer) -> answer.statusCode() != 200
					|| !JSON.readTree(answer.body()).has("x-switchboard-unavailable"));
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode document = JSON.readTree(response.body());
		assertThat(document.has("x-switchboard-unavailable")).as("every service's document is merged").isFalse();
		List<Operation> operations = new ArrayList<>();
		for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
			for (String method : METHODS) {
				JsonNode operation = path.getValue().path(method);
				if (!operation.isMissingNode()) {
					List<JsonNode> parameters = new ArrayList<>();
					path.getValue().path("parameters").forEach(parameters::add);
					operation.path("parameters").forEach(parameters::add);
					Operation candidate = new Operation(method.toUpperCase(Locale.ROOT), path.getKey(), operation,
							parameters, document.path("components").path("schemas"));
					if (!candidate.isPublic()) {
						operations.add(candidate);
					}
				}
			}
		}
		return operations;
	}

	/**
	 * One operation of the document, and how to call it with plausible arguments.
	 */
	private record Operation(String method, String template, JsonNode node, List<JsonNode> parameters,
			JsonNode schemas) {

		boolean isPublic() {
			JsonNode security = this.node.path("security");
			return (security.isArray() && security.isEmpty()) || this.template.startsWith("/webhooks")
					|| this.template.startsWith("/v3/api-docs") || this.template.startsWith("/.well-known")
					|| this.template.startsWith("/swagger") || this.template.startsWith("/fallback");
		}

		HttpRequest request(String token, PathValues values) {
			String path = this.template;
			String[] segments = this.template.split("/");
			for (int i = 1; i < segments.length; i++) {
				if (segments[i].startsWith("{")) {
					String name = segments[i].substring(1, segments[i].indexOf('}'));
					String collection = segments[i - 1];
					JsonNode schema = this.parameters.stream()
						.filter((parameter) -> parameter.path("in").asString("").equals("path")
								&& parameter.path("name").asString("").equals(name))
						.findFirst()
						.map((parameter) -> parameter.path("schema"))
						.orElse(JSON.missingNode());
					String value = values.value(name, collection, schema);
					// A suffix after the parameter (e.g. {id}.csv) stays.
					path = path.replace("{" + name + "}", URLEncoder.encode(value, StandardCharsets.UTF_8));
				}
			}
			List<String> query = new ArrayList<>();
			HttpRequest.Builder request = HttpRequest.newBuilder().timeout(Duration.ofSeconds(30));
			for (JsonNode parameter : this.parameters) {
				if (!parameter.path("required").asBoolean(false)) {
					continue;
				}
				String name = parameter.path("name").asString();
				String value = sample(name, parameter.path("schema"));
				switch (parameter.path("in").asString()) {
					case "query" -> query.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
					case "header" -> request.header(name, name.equalsIgnoreCase("X-Device-Id")
							? Objects.requireNonNullElse(demo.get("device"), value) : value);
					default -> {
					}
				}
			}
			String body = null;
			if (this.node.has("requestBody")) {
				JsonNode schema = this.node.path("requestBody").path("content").path("application/json").path("schema");
				body = JSON.writeValueAsString(sampleBody(schema, 0));
				request.header("Content-Type", "application/json");
			}
			request.uri(URI.create(gateway.url() + path + (query.isEmpty() ? "" : "?" + String.join("&", query))))
				.header("Authorization", "Bearer " + token)
				.method(this.method, (body != null) ? HttpRequest.BodyPublishers.ofString(body)
						: HttpRequest.BodyPublishers.noBody());
			return request.build();
		}

		/**
		 * A body that passes validation where it can, so that the call reaches its check.
		 */
		private JsonNode sampleBody(JsonNode schema, int depth) {
			JsonNode resolved = resolve(schema);
			ObjectNode object = JSON.createObjectNode();
			if (depth > 3 || !resolved.path("properties").isObject()) {
				return object;
			}
			List<String> required = new ArrayList<>();
			resolved.path("required").forEach((name) -> required.add(name.asString()));
			for (Map.Entry<String, JsonNode> property : resolved.path("properties").properties()) {
				JsonNode type = resolve(property.getValue());
				String name = property.getKey();
				String kind = type.path("type").asString("");
				// Optional parts (e.g. a message's media) stay out: they would have to be
				// valid too.
				if (!required.contains(name) && (kind.equals("object") || kind.equals("array") || kind.isEmpty())) {
					continue;
				}
				switch (type.path("type").asString("")) {
					case "object" -> object.set(name, sampleBody(type, depth + 1));
					case "array" -> {
						String item = sample(name, resolve(type.path("items")));
						if (name.equals("roles")) {
							object.putArray(name).add("AGENT");
						}
						else if (resolve(type.path("items")).path("type").asString("").equals("string")) {
							object.putArray(name).add(item);
						}
						else {
							object.putArray(name);
						}
					}
					case "integer", "number" -> object.put(name, 1);
					case "boolean" -> object.put(name, false);
					default -> object.put(name, sample(name, type));
				}
			}
			return object;
		}

		private JsonNode resolve(JsonNode schema) {
			String ref = schema.path("$ref").asString("");
			if (ref.startsWith("#/components/schemas/")) {
				return this.schemas.path(ref.substring("#/components/schemas/".length()));
			}
			return schema;
		}

		@Override
		public String toString() {
			return this.method + " " + this.template;
		}

	}

	/** A plausible value of a parameter or property, by its name and schema. */
	private static String sample(String name, JsonNode schema) {
		if (schema.path("enum").isArray() && !schema.path("enum").isEmpty()) {
			return schema.path("enum").get(0).asString();
		}
		String pattern = schema.path("pattern").asString("");
		if (pattern.matches("\\^?[A-Za-z_]+(\\|[A-Za-z_]+)+\\$?")) {
			// A choice of words (e.g. OPEN|PENDING|RESOLVED): the first.
			return pattern.replaceAll("[\\^$]", "").split("\\|")[0];
		}
		String format = schema.path("format").asString("");
		return switch (name) {
			case "month" -> YearMonth.now(ZoneOffset.UTC).toString();
			case "color" -> "#000000";
			case "url" -> "https://crm.example.com/hook";
			case "website" -> "https://www.example.com";
			case "email" -> "someone@example.com";
			case "teamId" -> Objects.requireNonNullElse(demo.get("team"), "team");
			case "agentId" -> Objects.requireNonNullElse(demo.get("agent"), "agent");
			case "deviceId" -> Objects.requireNonNullElse(demo.get("device"), UUID.randomUUID().toString());
			case "shortcut" -> "suite";
			case "language" -> "en";
			case "currency" -> "EUR";
			case "type" -> "text";
			case "state" -> "OPTED_IN";
			case "plan" -> "STANDARD";
			case "name" -> "suite_name";
			default -> switch (format) {
				case "uuid" -> UUID.randomUUID().toString();
				case "date-time" -> Instant.now().minus(Duration.ofDays(1)).toString();
				case "date" -> LocalDate.now(ZoneOffset.UTC).toString();
				case "int32", "int64" -> "1";
				default -> switch (schema.path("type").asString("")) {
					case "integer", "number" -> "1";
					case "boolean" -> "false";
					default -> "suite";
				};
			};
		};
	}

	@FunctionalInterface
	private interface PathValues {

		String value(String name, String collection, JsonNode schema);

	}

	// Helpers.

	/** A call straight to a service's API port, not through the gateway. */
	private static HttpResponse<String> direct(String service, @Nullable String token, String... headers)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create(gateway.service(service).url() + SERVICE_READS.get(service)))
			.timeout(Duration.ofSeconds(30));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		for (int i = 0; i + 1 < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static void unauthorized(String token, String what) throws IOException, InterruptedException {
		for (String path : List.of("/api/v1/labels", "/api/v1/api-keys")) {
			HttpResponse<String> response = gateway.get(token, path);
			assertThat(response.statusCode()).as(what + " on " + path + ": " + response.body()).isEqualTo(401);
		}
	}

	private static JsonNode claims(String jwt) {
		return claims(jwt, 1);
	}

	private static JsonNode claims(String jwt, int part) {
		return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[part]));
	}

	private static String unsigned(JsonNode claims) {
		return base64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + base64(JSON.writeValueAsString(claims)) + ".";
	}

	/** The platform's claims and key id, RS256-signed by a key the provider never had. */
	private static String signedByAForeignKey(String kid, JsonNode claims) throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		KeyPair keys = generator.generateKeyPair();
		String signingInput = base64("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}") + "."
				+ base64(JSON.writeValueAsString(claims));
		Signature signature = Signature.getInstance("SHA256withRSA");
		signature.initSign(keys.getPrivate());
		signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
		return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
	}

	private static String base64(String text) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
	}

	private static String abbreviate(String body) {
		return (body.length() > 300) ? body.substring(0, 300) + "..." : body;
	}

	/**
	 * Another identity-provider process, from the module's jar, with the demo users.
	 * @param port its port
	 * @param overrides settings beyond {@link IdentityProvider#environment(int)}
	 * @param logs where its output goes
	 */
	private static Process provider(int port, Map<String, String> overrides, Path logs) throws IOException {
		Path jar = Path.of("")
			.toAbsolutePath()
			.getParent()
			.resolve(IdentityProvider.NAME)
			.resolve("target")
			.resolve(IdentityProvider.NAME + ".jar");
		Files.createDirectories(logs);
		ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx160m",
				"-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString())
			.redirectErrorStream(true)
			.redirectOutput(logs.resolve("foreign-identity-provider-" + port + ".log").toFile());
		builder.environment().putAll(IdentityProvider.environment(port));
		builder.environment().putAll(overrides);
		Process process = builder.start();
		// Not left behind when the test JVM ends without @AfterAll.
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			process.destroy();
			try {
				process.waitFor(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}));
		return process;
	}

}

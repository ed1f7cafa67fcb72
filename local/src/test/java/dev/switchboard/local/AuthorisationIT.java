package dev.switchboard.local;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.switchboard.events.ConversationIds;
import dev.switchboard.testsupport.WhatsAppWebhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Authorisation through the real gateway, for every resource type: no credentials is 401,
 * the wrong role 403, another tenant's id 404 (and nothing changes), a flood 429 with
 * {@code Retry-After}. The demo tenant owns the data; the intruders are users of another
 * tenant with the strongest roles, with tokens of the same provider.
 */
class AuthorisationIT {

	private static final DemoTenant TENANT = Gateway.TENANT;

	private static final int TENANT_BURST = 100;

	private static final int API_KEY_BURST = 5;

	private static final String OTHER_TENANT = "intruder-" + UUID.randomUUID();

	private static final String FLOOD_TENANT = "flood-" + UUID.randomUUID();

	private static final Duration POLL = Duration.ofMillis(300);

	private static Gateway gateway;

	private static String owner;

	private static String admin;

	private static String agent;

	private static String finance;

	/**
	 * An ADMIN who also answers customers: may create AGENT keys (a key's roles are its
	 * creator's).
	 */
	private static String keyMaker;

	private static String intruder;

	private static String intruderAgent;

	private static String intruderFinance;

	@BeforeAll
	static void start() throws IOException, InterruptedException {
		Map<String, String> environment = new java.util.HashMap<>(
				Map.of("SWITCHBOARD_GATEWAY_RATELIMIT_PERTENANT_CAPACITY", Integer.toString(TENANT_BURST),
						"SWITCHBOARD_GATEWAY_RATELIMIT_PERTENANT_REFILLPERSECOND", "10",
						"SWITCHBOARD_GATEWAY_RATELIMIT_PERAPIKEY_CAPACITY", Integer.toString(API_KEY_BURST),
						"SWITCHBOARD_GATEWAY_RATELIMIT_PERAPIKEY_REFILLPERSECOND", "0.2"));
		environment.putAll(IdentityProvider.user("ivan", OTHER_TENANT, "OWNER", "ADMIN"));
		environment.putAll(IdentityProvider.user("igor", OTHER_TENANT, "AGENT"));
		environment.putAll(IdentityProvider.user("iris", OTHER_TENANT, "FINANCE", "OWNER"));
		environment.putAll(IdentityProvider.user("bot", FLOOD_TENANT, "ADMIN"));
		environment.putAll(IdentityProvider.user("kate", TENANT.id(), "ADMIN", "AGENT"));
		environment.putAll(IdentityProvider.user("tess", TENANT.id(), "SRE"));
		gateway = Gateway.start(Path.of("target/authorisation-logs").toAbsolutePath(), environment);
		owner = gateway.token("olivia");
		admin = gateway.token("adam");
		keyMaker = gateway.token("kate");
		agent = gateway.token("mario");
		finance = gateway.token("fiona");
		intruder = gateway.token("ivan");
		intruderAgent = gateway.token("igor");
		intruderFinance = gateway.token("iris");
	}

	@AfterAll
	static void stop() {
		if (gateway != null) {
			gateway.close();
		}
	}

	@Test
	void whenNoOrABadCredentialIsSentThenEveryApiAnswers401() throws Exception {
		String expired = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJldmUiLCJ0ZW5hbnQiOiJkZW1vIiwicm9sZXMiOlsiT1dORVIiXX0.x";
		for (String path : List.of("/api/v1/conversations", "/api/v1/messages/" + UUID.randomUUID(), "/api/v1/devices",
				"/api/v1/billing/invoices", "/api/v1/billing/plan", "/api/v1/labels", "/api/v1/quick-replies",
				"/api/v1/teams", "/api/v1/agents", "/api/v1/api-keys", "/api/v1/audit/entries",
				"/actuator/prometheus")) {
			assertThat(gateway.get(null, path).statusCode()).as("no token: " + path).isEqualTo(401);
			assertThat(gateway.get(expired, path).statusCode()).as("forged token: " + path).isEqualTo(401);
			assertThat(gateway.call(null, "GET", path, null, "X-Api-Key", "sbk_" + UUID.randomUUID() + "_nope")
				.statusCode()).as("unknown API key: " + path).isEqualTo(401);
		}
		assertThat(gateway
			.call(null, "POST", "/api/v1/labels", "{\"name\":\"x\",\"color\":\"#000000\"}", "X-Switchboard-Tenant",
					TENANT.id(), "X-Switchboard-Subject", "olivia", "X-Switchboard-Roles", "OWNER")
			.statusCode()).as("identity headers from a client").isEqualTo(401);
	}

	@Test
	void whenAWebhookIsNotSignedByTheTenantsAppSecretThenItIsRefusedWhateverTokenComesWithIt() throws Exception {
		String waId = "3933371" + (100_000 + (int) (Math.random() * 800_000));
		String body = WhatsAppWebhooks.textMessage(TENANT.phoneNumberId(), waId, "Eve", "wamid." + UUID.randomUUID(),
				java.time.Instant.now(), "let me in");
		assertThat(gateway.call(owner, "POST", "/webhooks/whatsapp", body).statusCode()).as("a bearer token")
			.isEqualTo(401);
		assertThat(gateway
			.call(null, "POST", "/webhooks/whatsapp", body, "X-Hub-Signature-256",
					WhatsAppWebhooks.signature("not-the-app-secret", body))
			.statusCode()).as("signed with another secret").isEqualTo(401);
		assertThat(gateway.count("SELECT count(*) FROM inbox.contact WHERE wa_id = ?", waId)).isZero();
		assertThat(gateway
			.call(null, "POST", "/webhooks/whatsapp", body, "X-Hub-Signature-256",
					WhatsAppWebhooks.signature(TENANT.appSecret(), body))
			.statusCode()).as("signed by Meta").isEqualTo(200);
	}

	@Test
	void whenAnotherTenantReadsOrWritesAConversationOrMessageThenNotFoundAndNothingChanges() throws Exception {
		String waId = "3933372" + (100_000 + (int) (Math.random() * 800_000));
		String conversation = ConversationIds.of(TENANT.id(), waId);
		assertThat(gateway.sandbox().customerWrites(waId, "Giulia Rossi", "My secret order 4711").webhookStatus())
			.isEqualTo(200);
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(POLL)
			.untilAsserted(() -> assertThat(
					gateway.get(owner, "/api/v1/conversations/" + conversation + "/window").statusCode())
				.isEqualTo(200));
		String device = registerDevice("mario");
		String reply = "{\"type\":\"text\",\"text\":\"Your order 4711 is on its way\"}";
		String message = await().atMost(Duration.ofSeconds(30)).pollInterval(POLL).until(() -> {
			HttpResponse<String> sent = gateway.call(agent, "POST",
					"/api/v1/conversations/" + conversation + "/messages", reply, "X-Device-Id", device);
			return (sent.statusCode() == 202) ? Gateway.json(sent).path("id").asString() : null;
		}, java.util.Objects::nonNull);
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(POLL)
			.untilAsserted(() -> assertThat(gateway.get(owner, "/api/v1/messages/" + message + "/info").statusCode())
				.isEqualTo(200));
		assertThat(gateway.get(owner, "/api/v1/messages/" + message).statusCode()).isEqualTo(200);
		long messages = gateway.count("SELECT count(*) FROM inbox.message WHERE conversation_id = ?::uuid",
				conversation);

		for (String path : List.of("/api/v1/conversations/" + conversation + "/messages",
				"/api/v1/conversations/" + conversation + "/window", "/api/v1/messages/" + message,
				"/api/v1/messages/" + message + "/info")) {
			notFound(gateway.get(intruder, path), path, "4711");
		}
		assertThat(gateway.get(intruder, "/api/v1/conversations?limit=100").body()).doesNotContain(conversation);
		assertThat(gateway.get(intruder, "/api/v1/audit/entries?limit=100").body()).doesNotContain(conversation)
			.doesNotContain("4711");

		notFound(gateway.call(intruder, "PUT", "/api/v1/conversations/" + conversation + "/status",
				"{\"status\":\"RESOLVED\"}"), "status", "4711");
		String intruderLabel = Gateway
			.json(gateway.call(intruder, "POST", "/api/v1/labels", "{\"name\":\"stolen\",\"color\":\"#000000\"}"))
			.path("id")
			.asString();
		notFound(gateway.call(intruder, "PUT", "/api/v1/conversations/" + conversation + "/labels/" + intruderLabel,
				null), "label a conversation", "4711");
		notFound(gateway.call(intruderAgent, "POST", "/api/v1/conversations/" + conversation + "/messages", reply,
				"X-Device-Id", device), "send", "4711");
		assertThat(gateway.count("SELECT count(*) FROM inbox.conversation WHERE id = ?::uuid AND status = 'OPEN'",
				conversation))
			.as("the status is unchanged")
			.isEqualTo(1);
		assertThat(gateway.count("SELECT count(*) FROM inbox.conversation_label WHERE conversation_id = ?::uuid",
				conversation))
			.isZero();
		assertThat(gateway.count("SELECT count(*) FROM inbox.message WHERE conversation_id = ?::uuid", conversation))
			.as("nothing was sent")
			.isEqualTo(messages);

		forbidden(gateway.get(agent, "/api/v1/messages/" + message + "/info"), "info as AGENT");
		forbidden(gateway.get(finance, "/api/v1/messages/" + message + "/info"), "info as FINANCE");
		forbidden(gateway.get(agent, "/api/v1/audit/entries"), "audit as AGENT");
		forbidden(gateway.call(finance, "POST", "/api/v1/conversations/" + conversation + "/messages", reply,
				"X-Device-Id", device), "send as FINANCE");
		assertThat(gateway.get(admin, "/api/v1/messages/" + message + "/info").statusCode()).isEqualTo(200);
	}

	@Test
	void whenAnotherTenantReadsOrChangesADeviceThenNotFoundAndAnAgentCannotRegisterOne() throws Exception {
		String device = registerDevice("luigi");
		String path = "/api/v1/devices/" + device;
		JsonNode before = gateway.ok(owner, "GET", path, null);

		notFound(gateway.get(intruder, path), path, before.path("name").asString());
		assertThat(gateway.get(intruder, "/api/v1/devices?limit=100").body()).doesNotContain(device);
		notFound(gateway.call(intruder, "PATCH", path, "{\"name\":\"Hijacked\"}"), "rename", null);
		notFound(gateway.call(intruder, "POST", path + "/revoke", null), "revoke", null);

		forbidden(gateway.call(agent, "POST", "/api/v1/devices",
				"{\"name\":\"Agent's own %s\",\"kind\":\"WEB\",\"agentId\":\"mario\"}".formatted(UUID.randomUUID())),
				"AGENT registers a device");
		forbidden(gateway.call(agent, "POST", path + "/revoke", null), "AGENT revokes a device");
		forbidden(gateway.call(finance, "PATCH", path, "{\"name\":\"Finance's\"}"), "FINANCE renames a device");

		JsonNode after = gateway.ok(owner, "GET", path, null);
		assertThat(after.path("name").asString()).isEqualTo(before.path("name").asString());
		assertThat(after.path("state").asString()).isEqualTo("ACTIVE");
		assertThat(gateway.count("SELECT count(*) FROM audit.device WHERE name LIKE 'Agent''s own %'")).isZero();
	}

	@Test
	void whenAnotherTenantReadsOrChangesAnInvoiceOrThePlanThenNotFoundAndOnlyFinanceOrOwnerSeeInvoices()
			throws Exception {
		HttpResponse<String> plan = gateway.call(owner, "PUT", "/api/v1/billing/plan", "{\"plan\":\"PREMIUM\"}");
		assertThat(plan.statusCode()).as(plan.body()).isIn(200, 409);
		String month = YearMonth.now(ZoneOffset.UTC).toString();
		JsonNode invoice = gateway.ok(finance, "POST", "/api/v1/billing/invoices",
				"{\"month\":\"%s\"}".formatted(month));
		String id = invoice.path("id").asString();
		String path = "/api/v1/billing/invoices/" + id;

		for (String read : List.of(path, path + ".csv", path + "/charges.csv", path + "/recompute")) {
			notFound(gateway.get(intruderFinance, read), read, null);
		}
		assertThat(gateway.get(intruderFinance, "/api/v1/billing/invoices?limit=100").body()).doesNotContain(id);
		notFound(gateway.call(intruderFinance, "POST", path + "/issue", null), "issue", null);
		notFound(gateway.call(intruderFinance, "POST", path + "/credit-notes",
				"{\"amountMinor\":100,\"reason\":\"refund to me\"}"), "credit note", null);
		assertThat(gateway.count("SELECT count(*) FROM billing.invoice WHERE corrects = ?::uuid", id)).isZero();
		assertThat(gateway.ok(finance, "GET", path, null).path("status").asString()).isEqualTo("DRAFT");

		JsonNode theirs = Gateway.json(gateway.get(intruderFinance, "/api/v1/billing/plan"));
		assertThat(theirs.toString()).doesNotContain("PREMIUM");
		HttpResponse<String> theirPlan = gateway.call(intruderFinance, "PUT", "/api/v1/billing/plan",
				"{\"plan\":\"STANDARD\"}");
		assertThat(theirPlan.statusCode()).as(theirPlan.body()).isEqualTo(200);
		assertThat(gateway.ok(finance, "GET", "/api/v1/billing/plan", null).toString()).as("the demo tenant's plan")
			.contains("PREMIUM");

		forbidden(gateway.get(agent, "/api/v1/billing/invoices"), "AGENT lists invoices");
		forbidden(gateway.get(admin, "/api/v1/billing/invoices"), "ADMIN lists invoices");
		forbidden(gateway.get(agent, path), "AGENT reads an invoice");
		forbidden(gateway.call(agent, "POST", "/api/v1/billing/invoices", "{\"month\":\"%s\"}".formatted(month)),
				"AGENT drafts an invoice");
		forbidden(gateway.get(agent, "/api/v1/billing/plan"), "AGENT reads the plan");
		forbidden(gateway.call(finance, "PUT", "/api/v1/billing/plan", "{\"plan\":\"STANDARD\"}"),
				"FINANCE changes the plan");
		forbidden(gateway.get(agent, "/api/v1/billing/usage"), "AGENT reads usage");
		assertThat(gateway.ok(owner, "GET", "/api/v1/billing/plan", null).toString()).contains("PREMIUM");
	}

	@Test
	void whenAnotherTenantChangesALabelOrQuickReplyThenNotFoundAndAnAgentCannotChangeThem() throws Exception {
		String name = "vip-" + UUID.randomUUID().toString().substring(0, 8);
		String label = gateway
			.ok(admin, "POST", "/api/v1/labels", "{\"name\":\"%s\",\"color\":\"#fdd835\"}".formatted(name))
			.path("id")
			.asString();
		String shortcut = "hours" + UUID.randomUUID().toString().substring(0, 8);
		String reply = gateway
			.ok(admin, "POST", "/api/v1/quick-replies",
					"{\"shortcut\":\"%s\",\"text\":\"Open 11-23\"}".formatted(shortcut))
			.path("id")
			.asString();

		assertThat(gateway.get(intruder, "/api/v1/labels?limit=200").body()).doesNotContain(label);
		assertThat(gateway.get(intruder, "/api/v1/quick-replies?limit=200").body()).doesNotContain(reply)
			.doesNotContain("Open 11-23");
		notFound(gateway.call(intruder, "PUT", "/api/v1/labels/" + label,
				"{\"name\":\"hijacked\",\"color\":\"#000000\"}"), "rename label", name);
		notFound(gateway.call(intruder, "DELETE", "/api/v1/labels/" + label, null), "delete label", name);
		notFound(gateway.call(intruder, "PUT", "/api/v1/quick-replies/" + reply,
				"{\"shortcut\":\"hijacked\",\"text\":\"Closed forever\"}"), "change quick reply", "Open 11-23");
		notFound(gateway.call(intruder, "DELETE", "/api/v1/quick-replies/" + reply, null), "delete quick reply",
				"Open 11-23");

		forbidden(gateway.call(agent, "POST", "/api/v1/labels", "{\"name\":\"agent-made\",\"color\":\"#000000\"}"),
				"AGENT creates a label");
		forbidden(gateway.call(agent, "PUT", "/api/v1/labels/" + label, "{\"name\":\"renamed\",\"color\":\"#000000\"}"),
				"AGENT renames a label");
		forbidden(gateway.call(agent, "DELETE", "/api/v1/quick-replies/" + reply, null), "AGENT deletes a quick reply");
		forbidden(
				gateway.call(finance, "PUT", "/api/v1/templates",
						"{\"name\":\"promo\",\"language\":\"en\",\"category\":\"MARKETING\",\"status\":\"APPROVED\"}"),
				"FINANCE records a template");

		assertThat(gateway.get(agent, "/api/v1/labels?limit=200").body()).contains(label).contains(name);
		assertThat(gateway.get(agent, "/api/v1/quick-replies?limit=200").body()).contains(reply).contains("Open 11-23");
	}

	@Test
	void whenAnotherTenantReadsOrChangesATeamOrAgentThenNotFoundAndFinanceCannotChangeThem() throws Exception {
		String team = "authz-" + UUID.randomUUID().toString().substring(0, 8);
		gateway.ok(admin, "POST", "/api/v1/teams",
				"{\"teamId\":\"%s\",\"name\":\"Authz\",\"strategy\":\"ROUND_ROBIN\",\"isDefault\":false}"
					.formatted(team));
		String member = "anna-" + UUID.randomUUID().toString().substring(0, 8);
		gateway.ok(admin, "PUT", "/api/v1/agents/" + member,
				"{\"displayName\":\"Anna\",\"capacity\":3,\"skills\":[\"it\"]}");
		gateway.ok(admin, "PUT", "/api/v1/teams/" + team + "/members/" + member, null);

		notFound(gateway.get(intruder, "/api/v1/teams/" + team), "team", member);
		notFound(gateway.get(intruder, "/api/v1/agents/" + member), "agent", "Anna");
		assertThat(gateway.get(intruder, "/api/v1/teams?limit=200").body()).doesNotContain(team);
		assertThat(gateway.get(intruder, "/api/v1/agents?limit=200").body()).doesNotContain(member);
		// The problem's instance echoes the path the intruder sent, so only the agent's
		// name
		// must not show.
		notFound(gateway.call(intruder, "DELETE", "/api/v1/teams/" + team + "/members/" + member, null),
				"remove a member", "Anna");
		notFound(gateway.call(intruder, "PUT", "/api/v1/teams/" + team + "/members/" + member, null), "add a member",
				"Anna");
		notFound(
				gateway.call(intruder, "POST", "/api/v1/routing/rules",
						"{\"priority\":1,\"kind\":\"KEYWORD\",\"match\":\"refund\",\"teamId\":\"%s\"}".formatted(team)),
				"a rule to another tenant's team", member);

		forbidden(gateway.call(finance, "PUT", "/api/v1/teams/" + team + "/members/" + member, null),
				"FINANCE changes a team");
		forbidden(gateway.call(finance, "DELETE", "/api/v1/teams/" + team + "/members/" + member, null),
				"FINANCE removes a member");
		forbidden(gateway.call(agent, "POST", "/api/v1/teams",
				"{\"teamId\":\"x-%s\",\"name\":\"X\",\"strategy\":\"ROUND_ROBIN\",\"isDefault\":true}"
					.formatted(UUID.randomUUID())),
				"AGENT creates a team");
		forbidden(gateway.call(finance, "PUT", "/api/v1/agents/" + member,
				"{\"displayName\":\"Renamed\",\"capacity\":99,\"skills\":[]}"), "FINANCE changes an agent");
		forbidden(
				gateway.get(agent, "/api/v1/reports/service-levels?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z"),
				"AGENT reads the service-level report");

		JsonNode after = gateway.ok(agent, "GET", "/api/v1/teams/" + team, null);
		assertThat(after.path("members").valueStream().map(JsonNode::asString)).containsExactly(member);
		JsonNode agentAfter = gateway.ok(agent, "GET", "/api/v1/agents/" + member, null);
		assertThat(agentAfter.path("displayName").asString()).isEqualTo("Anna");
		assertThat(agentAfter.path("capacity").asInt()).isEqualTo(3);
	}

	@Test
	void whenAnotherTenantRevokesAnApiKeyThenNotFoundAndTheKeyStillWorks() throws Exception {
		JsonNode created = gateway.ok(keyMaker, "POST", "/api/v1/api-keys",
				"{\"name\":\"CRM sync %s\",\"roles\":[\"AGENT\"]}".formatted(UUID.randomUUID()));
		String id = created.path("id").asString();
		String key = created.path("key").asString();

		assertThat(gateway.get(intruder, "/api/v1/api-keys?limit=100").body()).doesNotContain(id);
		notFound(gateway.call(intruder, "DELETE", "/api/v1/api-keys/" + id, null), "revoke", null);
		assertThat(gateway.call(null, "GET", "/api/v1/labels", null, "X-Api-Key", key).statusCode())
			.as("the key still works")
			.isEqualTo(200);
		assertThat(gateway.get(admin, "/api/v1/api-keys?limit=100").body()).contains(id);

		forbidden(gateway.get(agent, "/api/v1/api-keys"), "AGENT lists keys");
		forbidden(gateway.call(agent, "DELETE", "/api/v1/api-keys/" + id, null), "AGENT revokes a key");
		forbidden(gateway.call(null, "POST", "/api/v1/api-keys", "{\"name\":\"escalate\",\"roles\":[\"OWNER\"]}",
				"X-Api-Key", key), "an AGENT key creates a key");
		HttpResponse<String> escalation = gateway.call(admin, "POST", "/api/v1/api-keys",
				"{\"name\":\"escalate\",\"roles\":[\"OWNER\"]}");
		assertThat(escalation.statusCode()).as("ADMIN creates an OWNER key: " + escalation.body()).isEqualTo(400);
		HttpResponse<String> platform = gateway.call(owner, "POST", "/api/v1/api-keys",
				"{\"name\":\"scraper\",\"roles\":[\"SRE\"]}");
		assertThat(platform.statusCode()).as("a key with a platform role: " + platform.body()).isEqualTo(400);
	}

	@Test
	void whenMetricsAreAskedThenOnlyThePlatformsSreGetsThem() throws Exception {
		forbidden(gateway.management(agent, "/actuator/prometheus"), "AGENT");
		forbidden(gateway.management(admin, "/actuator/prometheus"), "ADMIN");
		forbidden(gateway.management(finance, "/actuator/prometheus"), "FINANCE");
		forbidden(gateway.management(owner, "/actuator/prometheus"), "a tenant's OWNER");
		String tenantSre = gateway.token("tess");
		forbidden(gateway.management(tenantSre, "/actuator/prometheus"), "SRE claimed by a tenant's token");
		forbidden(gateway.get(tenantSre, "/api/v1/conversations"), "a tenant's token left without a role");
		HttpResponse<String> sre = gateway.management(gateway.token("sam"), "/actuator/prometheus");
		assertThat(sre.statusCode()).isEqualTo(200);
		assertThat(sre.body()).contains("application=\"gateway-service\"");
		assertThat(gateway.management(null, "/actuator/health").statusCode()).isEqualTo(200);
		// The API port does not serve the actuator at all.
		assertThat(gateway.get(gateway.token("sam"), "/actuator/prometheus").statusCode()).isNotEqualTo(200);
	}

	@Test
	void whenATenantFloodsTheApiThenItGets429WithRetryAfterAndOtherTenantsDoNot() throws Exception {
		// The gateway's own API (no downstream service), so the flood measures the limit,
		// not
		// a service's capacity.
		String flooder = gateway.token("bot");
		List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
		for (int i = 0; i < 2 * TENANT_BURST; i++) {
			calls.add(gateway.http()
				.sendAsync(gateway.request(flooder, "GET", "/api/v1/api-keys?limit=1", null),
						HttpResponse.BodyHandlers.ofString()));
		}
		List<HttpResponse<String>> answers = calls.stream().map(CompletableFuture::join).toList();
		List<HttpResponse<String>> limited = answers.stream().filter((answer) -> answer.statusCode() == 429).toList();
		assertThat(limited).isNotEmpty();
		assertThat(answers).allSatisfy((answer) -> assertThat(answer.statusCode()).isIn(200, 429));
		assertThat(limited).allSatisfy((answer) -> {
			assertThat(answer.headers().firstValue("Retry-After"))
				.hasValueSatisfying((seconds) -> assertThat(Long.parseLong(seconds)).isPositive());
			assertThat(answer.headers().firstValue("Content-Type"))
				.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		});
		assertThat(gateway.get(admin, "/api/v1/api-keys?limit=1").statusCode()).as("another tenant").isEqualTo(200);
	}

	@Test
	void whenAnApiKeyFloodsTheApiThenItGets429WithRetryAfterWhileItsTenantGoesOn() throws Exception {
		String key = gateway
			.ok(keyMaker, "POST", "/api/v1/api-keys",
					"{\"name\":\"busy integration %s\",\"roles\":[\"AGENT\"]}".formatted(UUID.randomUUID()))
			.path("key")
			.asString();
		List<Integer> statuses = new ArrayList<>();
		HttpResponse<String> last = null;
		for (int i = 0; i < API_KEY_BURST + 3; i++) {
			last = gateway.call(null, "GET", "/api/v1/labels?limit=1", null, "X-Api-Key", key);
			statuses.add(last.statusCode());
		}
		assertThat(statuses.subList(0, API_KEY_BURST)).containsOnly(200);
		assertThat(statuses.getLast()).isEqualTo(429);
		assertThat(last.headers().firstValue("Retry-After"))
			.hasValueSatisfying((seconds) -> assertThat(Long.parseLong(seconds)).isPositive());
		assertThat(gateway.get(agent, "/api/v1/labels?limit=1").statusCode()).as("the tenant's users").isEqualTo(200);
	}

	private static String registerDevice(String agentId) throws IOException, InterruptedException {
		return gateway
			.ok(owner, "POST", "/api/v1/devices",
					"{\"name\":\"Browser %s %s\",\"kind\":\"WEB\",\"agentId\":\"%s\"}".formatted(agentId,
							UUID.randomUUID().toString().substring(0, 8), agentId))
			.path("id")
			.asString();
	}

	private static void notFound(HttpResponse<String> response, String what,
			@org.jspecify.annotations.Nullable String secret) {
		assertThat(response.statusCode()).as(what + ": " + response.body()).isEqualTo(404);
		assertThat(response.headers().firstValue("Content-Type")).as(what)
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		if (secret != null) {
			assertThat(response.body()).as(what).doesNotContain(secret);
		}
	}

	private static void forbidden(HttpResponse<String> response, String what) {
		assertThat(response.statusCode()).as(what + ": " + response.body()).isEqualTo(403);
		assertThat(response.headers().firstValue("Content-Type")).as(what)
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
	}

}

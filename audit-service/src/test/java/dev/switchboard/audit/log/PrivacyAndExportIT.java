package dev.switchboard.audit.log;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.switchboard.audit.AuditApi;
import dev.switchboard.events.ConversationIds;
import dev.switchboard.events.MessageReceived;
import dev.switchboard.events.MessageSent;
import dev.switchboard.events.MessageStatusChanged;
import dev.switchboard.events.WindowOpened;
import dev.switchboard.testsupport.Database;
import dev.switchboard.testsupport.IntegrationTest;
import dev.switchboard.testsupport.RealInfrastructure;
import dev.switchboard.testsupport.TestEvents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@IntegrationTest
@AutoConfigureWebTestClient
class PrivacyAndExportIT {

	private static final String SECRET = "my card number is 4111 1111";

	private static TestEvents events;

	private final JsonMapper json = JsonMapper.builder().build();

	@Autowired
	private WebTestClient http;

	@BeforeAll
	static void connect() {
		events = new TestEvents(RealInfrastructure.get().kafkaBootstrapServers());
	}

	@AfterAll
	static void disconnect() {
		events.close();
	}

	@Test
	void whenAContactIsErasedThenBodiesReadErasedAndEveryProofStillHolds() throws Exception {
		Conversation giulia = conversation();
		AuditApi owner = giulia.owner();
		Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		events.publish(new MessageReceived(owner.tenant(), giulia.id(), UUID.randomUUID().toString(), giulia.contact(),
				giulia.waId(), "wamid." + UUID.randomUUID(), "text", at, SECRET));
		events.publish(new WindowOpened(owner.tenant(), giulia.id(), at, at.plus(24, ChronoUnit.HOURS)));
		events.publish(new MessageReceived(owner.tenant(), giulia.id(), UUID.randomUUID().toString(), giulia.contact(),
				giulia.waId(), "wamid." + UUID.randomUUID(), "text", at.plusSeconds(1), "second message"));
		awaitEntries(owner.tenant(), 3);

		// The number with its space: hex hashes and base64 ciphertexts hold "4111" by
		// chance
		// now and then.
		assertThat(storedPayloads(owner.tenant())).hasSize(3).noneMatch((payload) -> payload.contains("4111 1111"));
		List<Object> bodies = new ArrayList<>();
		List<Object> actors = new ArrayList<>();
		((List<?>) owner.ok(owner.get("/api/v1/audit/entries?contactId=" + giulia.contact())).get("items"))
			.forEach((item) -> {
				bodies.add(((Map<?, ?>) item).get("body"));
				actors.add(((Map<?, ?>) item).get("actor"));
			});
		// Inbox and routing events travel on different topics: their order in the log is
		// the order they were recorded in.
		assertThat(bodies).containsExactlyInAnyOrder(SECRET, null, "second message");
		assertThat(actors).containsExactlyInAnyOrder("customer", "system", "customer");

		Export before = export(owner, "contactId=" + giulia.contact(), "jsonl");
		assertThat(before.lines()).hasSize(3);
		before.assertIndependentlyVerifiable(owner.tenant());
		assertThat(before.lines()).extracting((line) -> line.path("body").asString(null))
			.containsExactlyInAnyOrder(SECRET, null, "second message");

		AuditApi admin = owner.as("adele", "ADMIN");
		admin.ok(admin.put("/api/v1/audit/contacts/" + giulia.contact() + "/legal-hold",
				Map.of("reason", "Chargeback dispute 2026-114")));
		Map<?, ?> refused = admin.problem(admin.post("/api/v1/audit/contacts/" + giulia.contact() + "/erasure"), 409);
		assertThat(refused.get("type")).isEqualTo("https://switchboard.dev/problems/legal-hold");
		assertThat((String) refused.get("detail")).contains("legal hold").contains("Chargeback dispute 2026-114");
		assertThat(refused.get("holdReason")).isEqualTo("Chargeback dispute 2026-114");
		assertThat(export(owner, "contactId=" + giulia.contact(), "jsonl").lines())
			.extracting((line) -> line.path("body").asString(null))
			.contains(SECRET);

		admin.delete("/api/v1/audit/contacts/" + giulia.contact() + "/legal-hold").expectStatus().isNoContent();
		Map<?, ?> erased = admin.ok(admin.post("/api/v1/audit/contacts/" + giulia.contact() + "/erasure"));
		assertThat(erased.get("keysDestroyed")).isEqualTo(1);

		Export after = export(owner, "contactId=" + giulia.contact(), "jsonl");
		assertThat(after.lines().subList(0, 3)).extracting((line) -> line.path("body").asString(null))
			.containsExactlyInAnyOrder("erased", null, "erased");
		assertThat(after.lines()).filteredOn((line) -> line.path("bodyErased").asBoolean())
			.hasSize(2)
			.allSatisfy((line) -> assertThat(line.path("eventType").asString())
				.isEqualTo("dev.switchboard.inbox.message-received.v1"));
		assertThat(after.lines()).extracting((line) -> line.path("eventType").asString())
			.contains("dev.switchboard.audit.legal-hold-placed.v1", "dev.switchboard.audit.legal-hold-released.v1",
					"dev.switchboard.audit.contact-erased.v1");
		after.assertIndependentlyVerifiable(owner.tenant());
		assertThat(verify(owner).get("valid")).isEqualTo(true);

		// The erased entries are byte for byte what the earlier export proved.
		for (int i = 0; i < before.lines().size(); i++) {
			assertThat(after.lines().get(i).path("storedPayload").asString())
				.isEqualTo(before.lines().get(i).path("storedPayload").asString());
			assertThat(after.lines().get(i).path("leafHash").asString())
				.isEqualTo(before.lines().get(i).path("leafHash").asString());
		}
		Map<?, ?> consistency = owner
			.ok(owner.get("/api/v1/audit/consistency-proof?from=" + before.treeSize() + "&to=" + after.treeSize()));
		List<byte[]> proof = ((List<?>) consistency.get("proof")).stream().map(PrivacyAndExportIT::hex).toList();
		assertThat(Rfc9162Verifier.verifyConsistency(before.treeSize(), after.treeSize(), before.root(), after.root(),
				proof))
			.isTrue();

		String csv = owner.get("/api/v1/audit/export?format=csv&contactId=" + giulia.contact())
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(csv).startsWith("logIndex,eventId,eventType").contains("\"erased\"").doesNotContain("4111 1111");
	}

	@Test
	void whenSeveralContactsWriteAtOnceThenEachHasOneLiveKeyAndEveryBodyReadsBack() throws Exception {
		AuditApi owner = conversation().owner();
		String tenant = owner.tenant();
		Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		List<String> contacts = List.of("c1", "c2", "c3", "c4", "c5")
			.stream()
			.map((name) -> name + "-" + UUID.randomUUID())
			.toList();
		// Published together, most reach the service in one batch, whose keys are found
		// or
		// created with one statement.
		for (int round = 0; round < 3; round++) {
			for (int i = 0; i < contacts.size(); i++) {
				String waId = "3933300008" + i;
				events.publish(new MessageReceived(tenant, ConversationIds.of(tenant, waId),
						UUID.randomUUID().toString(), contacts.get(i), waId, "wamid." + UUID.randomUUID(), "text",
						at.plusSeconds(round), "round " + round + " of " + contacts.get(i)));
			}
		}
		awaitEntries(tenant, 15);
		assertThat(storedPayloads(tenant)).noneMatch((payload) -> payload.contains("round "));
		assertThat(liveKeys(tenant)).containsOnlyKeys(contacts).allSatisfy((contact, keys) -> assertThat(keys).isOne());
		for (String contact : contacts) {
			assertThat(bodies(owner, contact)).containsExactlyInAnyOrder("round 0 of " + contact,
					"round 1 of " + contact, "round 2 of " + contact);
		}

		// Erased, the contact's next body is encrypted under a new key (the erasure's own
		// entry carries none).
		String erased = contacts.getFirst();
		AuditApi admin = owner.as("adele", "ADMIN");
		admin.ok(admin.post("/api/v1/audit/contacts/" + erased + "/erasure"));
		events.publish(new MessageReceived(tenant, ConversationIds.of(tenant, "39333000080"),
				UUID.randomUUID().toString(), erased, "39333000080", "wamid." + UUID.randomUUID(), "text",
				at.plusSeconds(3), "after the erasure"));
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(bodies(owner, erased)).containsExactlyInAnyOrder("erased", "erased",
					"erased", null, "after the erasure"));
		assertThat(liveKeys(tenant).get(erased)).isOne();
		assertThat(verify(owner).get("valid")).isEqualTo(true);
	}

	private static List<Object> bodies(AuditApi owner, String contact) {
		List<Object> bodies = new ArrayList<>();
		((List<?>) owner.ok(owner.get("/api/v1/audit/entries?contactId=" + contact)).get("items"))
			.forEach((item) -> bodies.add(((Map<?, ?>) item).get("body")));
		return bodies;
	}

	private static Map<String, Integer> liveKeys(String tenant) throws Exception {
		Database database = RealInfrastructure.get().database();
		try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.username(),
				database.password()); Statement statement = connection.createStatement()) {
			ResultSet rows = statement
				.executeQuery("SELECT contact_id, count(*) FROM audit.contact_key WHERE tenant_id = '" + tenant
						+ "' AND erased_at IS NULL GROUP BY contact_id");
			Map<String, Integer> keys = new HashMap<>();
			while (rows.next()) {
				keys.put(rows.getString(1), rows.getInt(2));
			}
			return keys;
		}
	}

	@Test
	void whenSearchingByAgentDeviceTypeAndPeriodThenOnlyMatchingEntriesInLogOrder() throws Exception {
		Conversation luca = conversation();
		AuditApi owner = luca.owner();
		String device = (String) owner
			.http201(owner.post("/api/v1/devices", Map.of("name", "Desk", "kind", "DESKTOP", "agentId", "mario")))
			.get("id");
		Instant at = Instant.parse("2026-03-01T10:00:00Z");
		String message = UUID.randomUUID().toString();
		String wamid = "wamid." + UUID.randomUUID();
		events.publish(new MessageReceived(owner.tenant(), luca.id(), UUID.randomUUID().toString(), luca.contact(),
				luca.waId(), "wamid." + UUID.randomUUID(), "text", at, "hello"));
		events.publish(new MessageSent(owner.tenant(), luca.id(), message, luca.contact(), luca.waId(), wamid, "mario",
				device, "text", null, null, at.plusSeconds(60)));
		events.publish(new MessageStatusChanged(owner.tenant(), luca.id(), message, wamid, "DELIVERED",
				at.plusSeconds(65), null));
		// 4 entries: the device registration comes back from Kafka as DeviceChanged.
		awaitEntries(owner.tenant(), 4);

		assertThat(types(owner, "agentId=mario")).containsExactlyInAnyOrder("dev.switchboard.audit.device-changed.v1",
				"dev.switchboard.inbox.message-sent.v1", "dev.switchboard.inbox.message-status-changed.v1");
		assertThat(types(owner, "deviceId=" + device)).hasSize(3);
		assertThat(types(owner, "type=message-received")).containsExactly("dev.switchboard.inbox.message-received.v1");
		assertThat(types(owner, "contactId=" + luca.contact())).hasSize(3);
		Map<?, ?> sent = (Map<?, ?>) ((List<?>) owner.ok(owner.get("/api/v1/audit/entries?type=message-sent"))
			.get("items")).get(0);
		assertThat(sent.get("actor")).isEqualTo("mario");
		assertThat(sent.get("deviceId")).isEqualTo(device);
		assertThat(sent.get("contactId")).isEqualTo(luca.contact());

		Map<?, ?> page = owner.ok(owner.get("/api/v1/audit/entries?limit=2"));
		assertThat((List<?>) page.get("items")).hasSize(2);
		Map<?, ?> rest = owner.ok(owner.get("/api/v1/audit/entries?limit=2&cursor=" + page.get("nextCursor")));
		assertThat((List<?>) rest.get("items")).hasSize(2);
		assertThat(rest.get("nextCursor")).isNull();

		// The events carry their own ce_time, so the period is by when they were
		// published.
		Instant now = Instant.now();
		Export period = export(owner, "from=" + now.minus(10, ChronoUnit.MINUTES) + "&to=" + now.plusSeconds(60),
				"jsonl");
		assertThat(period.lines()).hasSize(4);
		period.assertIndependentlyVerifiable(owner.tenant());
		assertThat(export(owner, "from=" + now.plusSeconds(60) + "&to=" + now.plusSeconds(120), "jsonl").lines())
			.isEmpty();

		owner.problem(owner.get("/api/v1/audit/export"), 400);
		owner.problem(owner.get("/api/v1/audit/entries?from=yesterday"), 400);
		AuditApi agent = owner.as("mario", "AGENT");
		agent.problem(agent.get("/api/v1/audit/entries"), 403);
		agent.problem(agent.post("/api/v1/audit/contacts/" + luca.contact() + "/erasure"), 403);
		AuditApi stranger = conversation().owner();
		stranger.problem(stranger.post("/api/v1/audit/contacts/" + luca.contact() + "/erasure"), 404);
		assertThat((List<?>) stranger.ok(stranger.get("/api/v1/audit/entries")).get("items")).isEmpty();
	}

	private List<String> types(AuditApi owner, String query) {
		List<String> types = new ArrayList<>();
		((List<?>) owner.ok(owner.get("/api/v1/audit/entries?" + query)).get("items"))
			.forEach((item) -> types.add((String) ((Map<?, ?>) item).get("eventType")));
		return types;
	}

	private Conversation conversation() {
		String tenant = "tenant-" + UUID.randomUUID();
		String waId = "39333" + (long) (Math.random() * 10_000_000L);
		return new Conversation(new AuditApi(this.http, tenant, "olivia", "OWNER"), ConversationIds.of(tenant, waId),
				UUID.randomUUID().toString(), waId);
	}

	private Export export(AuditApi owner, String query, String format) {
		EntityExchangeResult<String> result = owner.get("/api/v1/audit/export?format=" + format + "&" + query)
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult();
		String body = (result.getResponseBody() != null) ? result.getResponseBody() : "";
		List<JsonNode> lines = body.lines().filter((line) -> !line.isBlank()).map(this.json::readTree).toList();
		return new Export(lines, result.getResponseHeaders());
	}

	private Map<?, ?> verify(AuditApi owner) {
		return owner.ok(owner.get("/api/v1/audit/verify"));
	}

	private static void awaitEntries(String tenant, int count) {
		await().atMost(Duration.ofSeconds(20)).until(() -> storedPayloads(tenant).size() == count);
	}

	private static List<String> storedPayloads(String tenant) throws Exception {
		Database database = RealInfrastructure.get().database();
		try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.username(),
				database.password()); Statement statement = connection.createStatement()) {
			ResultSet rows = statement.executeQuery("SELECT payload::text FROM audit.audit_entry WHERE tenant_id = '"
					+ tenant + "' ORDER BY log_index");
			List<String> payloads = new ArrayList<>();
			while (rows.next()) {
				payloads.add(rows.getString(1));
			}
			return payloads;
		}
	}

	private static byte[] hex(Object value) {
		return HexFormat.of().parseHex(String.valueOf(value));
	}

	private record Conversation(AuditApi owner, String id, String contact, String waId) {

	}

	private record Export(List<JsonNode> lines, HttpHeaders headers) {

		long treeSize() {
			return Long.parseLong(this.headers.getFirst("X-Switchboard-Tree-Size"));
		}

		byte[] root() {
			return hex(this.headers.getFirst("X-Switchboard-Root-Hash"));
		}

		/**
		 * Checks each line the way an outside party would: the leaf hash from the
		 * exported fields, the inclusion proof, and the tree head's signature, with
		 * nothing but the export and the public key.
		 */
		void assertIndependentlyVerifiable(String tenant) throws Exception {
			Instant signedAt = Instant.parse(this.headers.getFirst("X-Switchboard-Tree-Head-Signed-At"));
			String signed = tenant + "\n" + treeSize() + "\n" + this.headers.getFirst("X-Switchboard-Root-Hash") + "\n"
					+ micros(signedAt);
			PublicKey key = KeyFactory.getInstance("Ed25519")
				.generatePublic(new X509EncodedKeySpec(
						Base64.getDecoder().decode(this.headers.getFirst("X-Switchboard-Public-Key"))));
			Signature signature = Signature.getInstance("Ed25519");
			signature.initVerify(key);
			signature.update(signed.getBytes(StandardCharsets.UTF_8));
			assertThat(signature
				.verify(Base64.getDecoder().decode(this.headers.getFirst("X-Switchboard-Tree-Head-Signature"))))
				.isTrue();
			for (JsonNode line : this.lines) {
				String canonical = String.join("\n", line.path("tenantId").asString(),
						Long.toString(line.path("logIndex").asLong()), line.path("eventId").asString(),
						line.path("eventType").asString(), line.path("conversationId").asString(""),
						Long.toString(micros(Instant.parse(line.path("occurredAt").asString()))),
						Long.toString(micros(Instant.parse(line.path("recordedAt").asString()))),
						line.path("storedPayload").asString());
				MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
				sha256.update((byte) 0);
				byte[] leaf = sha256.digest(canonical.getBytes(StandardCharsets.UTF_8));
				assertThat(HexFormat.of().formatHex(leaf)).isEqualTo(line.path("leafHash").asString());
				JsonNode proof = line.path("proof");
				assertThat(proof.path("treeSize").asLong()).isEqualTo(treeSize());
				List<byte[]> path = new ArrayList<>();
				proof.path("auditPath").forEach((node) -> path.add(hex(node.asString())));
				assertThat(
						Rfc9162Verifier.verifyInclusion(line.path("logIndex").asLong(), treeSize(), leaf, path, root()))
					.as("inclusion of %s", line.path("logIndex"))
					.isTrue();
			}
		}

		private static long micros(Instant instant) {
			return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
		}

	}

}

package dev.switchboard.audit.log;

import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.switchboard.events.ConversationIds;
import dev.switchboard.events.MessageReceived;
import dev.switchboard.events.WindowOpened;
import dev.switchboard.testsupport.Database;
import dev.switchboard.testsupport.IntegrationTest;
import dev.switchboard.testsupport.RealInfrastructure;
import dev.switchboard.testsupport.TestEvents;
import dev.switchboard.testsupport.TestIdentity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

@IntegrationTest
@AutoConfigureWebTestClient
class AuditLogIT {

	private static TestEvents events;

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
	void whenTheLogIsUntouchedThenItVerifiesAndEveryProofChecksOutIndependently() throws Exception {
		String tenant = "tenant-" + UUID.randomUUID();
		append(tenant, 4);
		Map<?, ?> first = signNow(tenant);
		assertThat(first.get("treeSize")).isEqualTo(4);
		assertThat(verify(tenant).get("valid")).isEqualTo(true);

		byte[] root = hex(first.get("rootHash"));
		assertThat(signatureHolds(tenant, first)).isTrue();
		for (int index = 0; index < 4; index++) {
			Map<?, ?> proof = get(tenant, "/api/v1/audit/entries/" + index + "/inclusion-proof?treeSize=4");
			List<byte[]> path = ((List<?>) proof.get("auditPath")).stream().map(AuditLogIT::hex).toList();
			assertThat(Rfc9162Verifier.verifyInclusion(index, 4, hex(proof.get("leafHash")), path, root))
				.as("entry %d", index)
				.isTrue();
		}

		append(tenant, 3);
		Map<?, ?> second = signNow(tenant);
		assertThat(second.get("treeSize")).isEqualTo(7);
		Map<?, ?> consistency = get(tenant, "/api/v1/audit/consistency-proof?from=4&to=7");
		List<byte[]> proof = ((List<?>) consistency.get("proof")).stream().map(AuditLogIT::hex).toList();
		assertThat(Rfc9162Verifier.verifyConsistency(4, 7, root, hex(second.get("rootHash")), proof)).isTrue();
		assertThat(verify(tenant).get("valid")).isEqualTo(true);
	}

	@Test
	void whenAnEntryIsUpdatedInSqlThenVerificationFails() throws Exception {
		String tenant = signedLog(5);
		tamper("UPDATE audit_entry SET payload = jsonb_set(payload, '{text}', '\"I never said that\"')"
				+ " WHERE tenant_id = '" + tenant + "' AND log_index = 2");
		assertTampered(tenant);
	}

	@Test
	void whenAnEntryIsUpdatedInSqlBeforeAnyTreeHeadCoversItThenVerificationStillFails() throws Exception {
		String tenant = "tenant-" + UUID.randomUUID();
		append(tenant, 3);
		tamper("UPDATE audit_entry SET payload = jsonb_set(payload, '{text}', '\"I never said that\"')"
				+ " WHERE tenant_id = '" + tenant + "' AND log_index = 1");
		// The head is signed over the leaf hashes taken when the entries were appended,
		// not
		// over what the rows say now.
		assertThat(signNow(tenant).get("treeSize")).isEqualTo(3);
		assertTampered(tenant);
	}

	@Test
	void whenAnEntryIsDeletedInSqlThenVerificationFails() throws Exception {
		String tenant = signedLog(5);
		tamper("DELETE FROM audit_entry WHERE tenant_id = '" + tenant + "' AND log_index = 3");
		assertTampered(tenant);
	}

	@Test
	void whenAnEntryIsInsertedInSqlThenVerificationFails() throws Exception {
		String tenant = signedLog(5);
		tamper("UPDATE audit_entry SET log_index = -(log_index + 1) WHERE tenant_id = '" + tenant
				+ "' AND log_index >= 1",
				"UPDATE audit_entry SET log_index = -log_index WHERE tenant_id = '" + tenant + "' AND log_index < 0",
				"INSERT INTO audit_entry (event_id, tenant_id, event_type, conversation_id, occurred_at, recorded_at,"
						+ " payload, log_index, leaf_hash) SELECT 'forged-" + UUID.randomUUID()
						+ "', tenant_id, event_type, conversation_id, occurred_at, recorded_at, payload, 1, leaf_hash"
						+ " FROM audit_entry WHERE tenant_id = '" + tenant + "' AND log_index = 0");
		assertTampered(tenant);
	}

	@Test
	void whenEntriesAreReorderedInSqlThenVerificationFails() throws Exception {
		String tenant = signedLog(5);
		String where = " WHERE tenant_id = '" + tenant + "' AND log_index = ";
		tamper("UPDATE audit_entry SET log_index = -1" + where + "1",
				"UPDATE audit_entry SET log_index = 1" + where + "2",
				"UPDATE audit_entry SET log_index = 2" + where + "-1");
		assertTampered(tenant);
	}

	@Test
	void whenAnyoneUpdatesOrDeletesAnEntryThroughTheDatabaseThenItIsRefused() throws Exception {
		String tenant = signedLog(1);
		for (String sql : List.of("UPDATE audit_entry SET event_type = 'x' WHERE tenant_id = '" + tenant + "'",
				"DELETE FROM audit_entry WHERE tenant_id = '" + tenant + "'",
				"DELETE FROM audit_tree_head WHERE tenant_id = '" + tenant + "'")) {
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> execute(false, sql))
				.withMessageContaining("append-only");
		}
		assertThat(verify(tenant).get("valid")).isEqualTo(true);
	}

	@Test
	void whenAnAgentAsksForTheAuditThenForbidden() {
		this.http.get()
			.uri("/api/v1/audit/verify")
			.headers((h) -> h.setBearerAuth(TestIdentity.token("audit-service", "any", "mario", "AGENT")))
			.exchange()
			.expectStatus()
			.isForbidden();
	}

	private String signedLog(int entries) {
		String tenant = "tenant-" + UUID.randomUUID();
		append(tenant, entries);
		assertThat(signNow(tenant).get("treeSize")).isEqualTo(entries);
		assertThat(verify(tenant).get("valid")).isEqualTo(true);
		return tenant;
	}

	private void assertTampered(String tenant) {
		Map<?, ?> result = verify(tenant);
		assertThat(result.get("valid")).as(result.toString()).isEqualTo(false);
		assertThat((List<?>) result.get("problems")).isNotEmpty();
	}

	private void append(String tenant, int count) {
		String conversation = ConversationIds.of(tenant, "39333" + (int) (Math.random() * 1_000_000));
		Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		long before = size(tenant);
		for (int i = 0; i < count; i++) {
			if (i % 2 == 0) {
				events.publish(new MessageReceived(tenant, conversation, UUID.randomUUID().toString(),
						UUID.randomUUID().toString(), "393330000000", "wamid." + UUID.randomUUID(), "text", at,
						"message " + i));
			}
			else {
				events.publish(new WindowOpened(tenant, conversation, at, at.plus(24, ChronoUnit.HOURS)));
			}
		}
		await().atMost(Duration.ofSeconds(20)).until(() -> size(tenant) == before + count);
	}

	private long size(String tenant) {
		try (Connection connection = connection(); Statement statement = connection.createStatement()) {
			var result = statement
				.executeQuery("SELECT count(*) FROM audit.audit_entry WHERE tenant_id = '" + tenant + "'");
			result.next();
			return result.getLong(1);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Changes the log the way an attacker with database access would: triggers switched
	 * off.
	 */
	private static void tamper(String... statements) throws SQLException {
		execute(true, statements);
	}

	private static void execute(boolean bypassTriggers, String... statements) throws SQLException {
		try (Connection connection = connection(); Statement statement = connection.createStatement()) {
			statement.execute("SET search_path TO audit");
			if (bypassTriggers) {
				statement.execute("SET session_replication_role = replica");
			}
			for (String sql : statements) {
				statement.execute(sql);
			}
		}
	}

	private static Connection connection() throws SQLException {
		Database database = RealInfrastructure.get().database();
		return DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password());
	}

	private Map<?, ?> signNow(String tenant) {
		return this.http.post()
			.uri("/api/v1/audit/tree-heads")
			.headers((h) -> h.setBearerAuth(TestIdentity.token("audit-service", tenant, "olivia", "OWNER")))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
	}

	private Map<?, ?> verify(String tenant) {
		return get(tenant, "/api/v1/audit/verify");
	}

	private Map<?, ?> get(String tenant, String path) {
		return this.http.get()
			.uri(path)
			.headers((h) -> h.setBearerAuth(TestIdentity.token("audit-service", tenant, "olivia", "OWNER")))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
	}

	private static boolean signatureHolds(String tenant, Map<?, ?> head) throws Exception {
		PublicKey key = KeyFactory.getInstance("Ed25519")
			.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode((String) head.get("publicKey"))));
		Instant signedAt = Instant.parse((String) head.get("signedAt"));
		String signed = tenant + "\n" + head.get("treeSize") + "\n" + head.get("rootHash") + "\n"
				+ (signedAt.getEpochSecond() * 1_000_000L + signedAt.getNano() / 1_000);
		Signature signature = Signature.getInstance("Ed25519");
		signature.initVerify(key);
		signature.update(signed.getBytes(java.nio.charset.StandardCharsets.UTF_8));
		return signature.verify(Base64.getDecoder().decode((String) head.get("signature")));
	}

	private static byte[] hex(Object value) {
		return HexFormat.of().parseHex(String.valueOf(value));
	}

}

package dev.switchboard.audit.log;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
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

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.switchboard.audit.AuditApi;
import dev.switchboard.audit.cli.VerifyCli;
import dev.switchboard.audit.witness.Checkpoint;
import dev.switchboard.audit.witness.SignedNote;
import dev.switchboard.events.ConversationIds;
import dev.switchboard.events.MessageReceived;
import dev.switchboard.events.WindowOpened;
import dev.switchboard.testsupport.Database;
import dev.switchboard.testsupport.IntegrationTest;
import dev.switchboard.testsupport.RealInfrastructure;
import dev.switchboard.testsupport.TestEvents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The checkpoints outside the database: what a database superuser can do to the log and
 * its tree heads together, the witness still catches.
 */
@IntegrationTest
@AutoConfigureWebTestClient
@SuppressWarnings("unchecked")
class WitnessIT {

	private static TestEvents events;

	@Autowired
	private WebTestClient http;

	@Autowired
	private Checkpoints checkpoints;

	@Autowired
	private AuditWitnessHealthIndicator health;

	@Autowired
	private MeterRegistry meters;

	@Value("${switchboard.audit.witness.directory}")
	private Path witness;

	@BeforeAll
	static void connect() {
		events = new TestEvents(RealInfrastructure.get().kafkaBootstrapServers());
	}

	@AfterAll
	static void disconnect() {
		events.close();
	}

	@Test
	void whenATreeHeadIsSignedThenTheWitnessHoldsItAsASignedCheckpoint() throws Exception {
		AuditApi owner = owner();
		append(owner, 3);
		Map<?, ?> head = owner.ok(owner.post("/api/v1/audit/tree-heads"));

		String origin = "switchboard.dev/audit/" + owner.tenant();
		Path file = checkpointFile(origin, 3);
		String note = Files.readString(file, StandardCharsets.UTF_8);
		String root = Base64.getEncoder().encodeToString(HexFormat.of().parseHex((String) head.get("rootHash")));
		assertThat(note).startsWith(origin + "\n3\n" + root + "\n\n\u2014 " + origin + " ");
		PublicKey key = KeyFactory.getInstance("Ed25519")
			.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode((String) head.get("publicKey"))));
		SignedNote.Opened opened = SignedNote.parse(note);
		assertThat(opened.verifies(origin, key)).isTrue();
		assertThat(Checkpoint.parse(opened.text()).treeSize()).isEqualTo(3);

		Map<?, ?> verification = owner.ok(owner.get("/api/v1/audit/verify"));
		assertThat(verification.get("valid")).as(verification.toString()).isEqualTo(true);
		assertThat(verification.get("witnessedTreeSize")).isEqualTo(3);
	}

	@Test
	void whenTheTailAndItsTreeHeadsAreDeletedInSqlThenVerificationFails() throws Exception {
		AuditApi owner = owner();
		append(owner, 5);
		assertThat(owner.ok(owner.post("/api/v1/audit/tree-heads")).get("treeSize")).isEqualTo(5);
		append(owner, 3);
		assertThat(owner.ok(owner.post("/api/v1/audit/tree-heads")).get("treeSize")).isEqualTo(8);
		Map<?, ?> before = owner.ok(owner.get("/api/v1/audit/verify"));
		assertThat(before.get("valid")).as(before.toString()).isEqualTo(true);
		assertThat(before.get("witnessedTreeSize")).isEqualTo(8);
		String publicKey = (String) owner.ok(owner.get("/api/v1/audit/tree-heads/latest")).get("publicKey");
		Path checkpoint = checkpointFile("switchboard.dev/audit/" + owner.tenant(), 8);
		assertThat(cli(owner, publicKey, checkpoint)).startsWith("0 VALID");

		// What a superuser can do: switch the append-only triggers off, cut the last
		// three
		// entries and the head that covers them, set the size back, switch them on again.
		String tenant = "'" + owner.tenant() + "'";
		superuser("ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only",
				"ALTER TABLE audit_tree_head DISABLE TRIGGER audit_tree_head_append_only",
				"DELETE FROM audit_entry WHERE tenant_id = " + tenant + " AND log_index >= 5",
				"DELETE FROM audit_tree_head WHERE tenant_id = " + tenant + " AND tree_size > 5",
				"UPDATE audit_log_size SET size = 5 WHERE tenant_id = " + tenant,
				"ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_append_only",
				"ALTER TABLE audit_tree_head ENABLE TRIGGER audit_tree_head_append_only");

		Map<?, ?> after = owner.ok(owner.get("/api/v1/audit/verify"));
		assertThat(after.get("valid")).as(after.toString()).isEqualTo(false);
		assertThat(after.get("entries")).isEqualTo(5);
		assertThat(after.get("signedTreeSize")).isEqualTo(5);
		// Everything the database holds is consistent; only the witness knows better.
		assertThat((List<Object>) after.get("problems"))
			.containsExactly("the log is shorter than the witnessed checkpoint of size 8: it has 5 entries");
		// The offline verifier reading the database, given the witness's file, agrees.
		assertThat(cli(owner, publicKey, checkpoint)).startsWith("1 TAMPERED")
			.contains("the log is shorter than the witnessed checkpoint of size 8");

		// Rewriting the tail as well: whatever head the database gets at size 8, the new
		// entries do not produce the witnessed root.
		append(owner, 3);
		assertThat(owner.ok(owner.post("/api/v1/audit/tree-heads")).get("treeSize")).isEqualTo(8);
		Map<?, ?> rewritten = owner.ok(owner.get("/api/v1/audit/verify"));
		assertThat(rewritten.get("valid")).as(rewritten.toString()).isEqualTo(false);
		assertThat((List<Object>) rewritten.get("problems"))
			.contains("the entries do not produce the root of the witnessed checkpoint of size 8");
	}

	@Test
	void whenTheWitnessIsUnavailableThenTheTreeHeadIsStoredAndTheCheckpointCaughtUpLater() throws Exception {
		AuditApi owner = owner();
		append(owner, 2);
		// A file where the log's directory belongs: the witness cannot write (as root
		// too).
		Path blocked = this.witness.resolve(encoded("switchboard.dev/audit/" + owner.tenant()));
		Files.createDirectories(this.witness);
		Files.writeString(blocked, "not a directory");

		assertThat(owner.ok(owner.post("/api/v1/audit/tree-heads")).get("treeSize")).isEqualTo(2);
		assertThat(this.checkpoints.lag()).isGreaterThanOrEqualTo(2);
		assertThat(this.meters.get("switchboard.audit.witness.lag").gauge().value()).isGreaterThanOrEqualTo(2);
		assertThat(this.health.health().getStatus().getCode()).isEqualTo("DOWN");
		Map<?, ?> unwitnessed = owner.ok(owner.get("/api/v1/audit/verify"));
		assertThat(unwitnessed.get("valid")).as(unwitnessed.toString()).isEqualTo(true);
		assertThat(unwitnessed.get("witnessedTreeSize")).isEqualTo(0);

		Files.delete(blocked);
		this.checkpoints.catchUp();
		assertThat(checkpointFile("switchboard.dev/audit/" + owner.tenant(), 2)).exists();
		assertThat(this.checkpoints.lag()).isZero();
		assertThat(this.health.health().getStatus().getCode()).isEqualTo("UP");
		assertThat(owner.ok(owner.get("/api/v1/audit/verify")).get("witnessedTreeSize")).isEqualTo(2);
	}

	/** Runs the database verifier with the checkpoint: its exit status and report. */
	private static String cli(AuditApi owner, String publicKey, Path checkpoint) {
		Database database = RealInfrastructure.get().database();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		int status = VerifyCli.run(
				new String[] { "--jdbc-url", database.jdbcUrl(), "--user", database.username(), "--password",
						database.password(), "--tenant", owner.tenant(), "--public-key", publicKey, "--checkpoint",
						checkpoint.toString() },
				new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
		return status + " " + out.toString(StandardCharsets.UTF_8);
	}

	private AuditApi owner() {
		return new AuditApi(this.http, "tenant-" + UUID.randomUUID(), "olivia", "OWNER");
	}

	private Path checkpointFile(String origin, long size) {
		return this.witness.resolve(encoded(origin)).resolve(Long.toString(size));
	}

	private static String encoded(String origin) {
		return origin.replace("/", "%2F");
	}

	private static void append(AuditApi owner, int count) {
		String conversation = ConversationIds.of(owner.tenant(), "39333" + (int) (Math.random() * 1_000_000));
		Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		long before = ((Number) owner.ok(owner.get("/api/v1/audit/verify")).get("entries")).longValue();
		for (int i = 0; i < count; i++) {
			if (i % 2 == 0) {
				events.publish(new MessageReceived(owner.tenant(), conversation, UUID.randomUUID().toString(),
						UUID.randomUUID().toString(), "393330000000", "wamid." + UUID.randomUUID(), "text", at,
						"message " + i));
			}
			else {
				events.publish(new WindowOpened(owner.tenant(), conversation, at, at.plus(24, ChronoUnit.HOURS)));
			}
		}
		await().atMost(Duration.ofSeconds(20))
			.until(() -> ((Number) owner.ok(owner.get("/api/v1/audit/verify")).get("entries")).longValue() == before
					+ count);
	}

	/**
	 * Runs statements in one transaction as the database superuser the tests connect as.
	 */
	private static void superuser(String... statements) throws SQLException {
		Database database = RealInfrastructure.get().database();
		try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.username(),
				database.password())) {
			connection.setAutoCommit(false);
			try (Statement statement = connection.createStatement()) {
				statement.execute("SET LOCAL search_path TO audit");
				for (String sql : statements) {
					statement.execute(sql);
				}
			}
			connection.commit();
		}
	}

}

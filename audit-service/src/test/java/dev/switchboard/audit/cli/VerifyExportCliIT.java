package dev.switchboard.audit.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.switchboard.audit.AuditApi;
import dev.switchboard.events.ConversationIds;
import dev.switchboard.events.MessageReceived;
import dev.switchboard.events.WindowOpened;
import dev.switchboard.testsupport.IntegrationTest;
import dev.switchboard.testsupport.RealInfrastructure;
import dev.switchboard.testsupport.TestEvents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The offline verifier on an export and a checkpoint taken from the witness directory,
 * with nothing else.
 */
@IntegrationTest
@AutoConfigureWebTestClient
class VerifyExportCliIT {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static TestEvents events;

	@Autowired
	private WebTestClient http;

	@Value("${switchboard.audit.witness.directory}")
	private Path witness;

	@TempDir
	private Path work;

	@BeforeAll
	static void connect() {
		events = new TestEvents(RealInfrastructure.get().kafkaBootstrapServers());
	}

	@AfterAll
	static void disconnect() {
		events.close();
	}

	@Test
	void whenAnExportAndTheWitnessedCheckpointAgreeThenTheCliPassesAndAnyChangeFailsIt() throws Exception {
		AuditApi owner = new AuditApi(this.http, "tenant-" + UUID.randomUUID(), "olivia", "OWNER");
		Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		append(owner, at, 4);
		Path export = this.work.resolve("export.jsonl");
		Files.writeString(export, export(owner, at));
		String publicKey = (String) owner.ok(owner.get("/api/v1/audit/tree-heads/latest")).get("publicKey");
		Path checkpoint4 = checkpoint(owner, 4);

		Run valid = cli("--export", export, "--checkpoint", checkpoint4, "--public-key", publicKey);
		assertThat(valid.status()).as(valid.out()).isZero();
		assertThat(valid.out()).contains("Checkpoint: switchboard.dev/audit/" + owner.tenant() + " at size 4")
			.contains("Export: 4 entries proved in the tree of size 4")
			.contains("VALID");

		String otherKey = Base64.getEncoder()
			.encodeToString(KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded());
		Run untrusted = cli("--export", export, "--checkpoint", checkpoint4, "--public-key", otherKey);
		assertThat(untrusted.status()).isEqualTo(1);
		assertThat(untrusted.out()).contains("not signed by the given public key");

		Path changed = this.work.resolve("changed.jsonl");
		List<String> lines = new ArrayList<>(Files.readAllLines(export));
		ObjectNode second = (ObjectNode) JSON.readTree(lines.get(1));
		second.put("occurredAt", Instant.parse(second.get("occurredAt").asString()).minusSeconds(3600).toString());
		lines.set(1, JSON.writeValueAsString(second));
		Files.write(changed, lines);
		Run tampered = cli("--export", changed, "--checkpoint", checkpoint4, "--public-key", publicKey);
		assertThat(tampered.status()).as(tampered.out()).isEqualTo(1);
		assertThat(tampered.out()).contains("entry 1 does not hash to its leaf hash");

		// The log grows: a newer whole-log export still proves the older checkpoint, and
		// the older export proves the newer checkpoint only with a consistency proof.
		append(owner, at, 2);
		Path newer = this.work.resolve("newer.jsonl");
		Files.writeString(newer, export(owner, at));
		Path checkpoint6 = checkpoint(owner, 6);
		assertThat(cli("--export", newer, "--checkpoint", checkpoint4, "--public-key", publicKey).status()).isZero();
		assertThat(cli("--export", newer, "--checkpoint", checkpoint6, "--public-key", publicKey).status()).isZero();

		Run shorter = cli("--export", export, "--checkpoint", checkpoint6, "--public-key", publicKey);
		assertThat(shorter.status()).isEqualTo(1);
		assertThat(shorter.out()).contains("the export's log has 4 entries, fewer than the checkpoint's 6");
		Path proof = this.work.resolve("proof.json");
		Files.writeString(proof,
				owner.get("/api/v1/audit/consistency-proof?from=4&to=6")
					.expectStatus()
					.isOk()
					.expectBody(String.class)
					.returnResult()
					.getResponseBody());
		Run proved = cli("--export", export, "--checkpoint", checkpoint6, "--public-key", publicKey,
				"--consistency-proof", proof);
		assertThat(proved.status()).as(proved.out()).isZero();

		assertThat(cli("--export", export, "--public-key", publicKey).status()).isEqualTo(2);
	}

	private Path checkpoint(AuditApi owner, long size) {
		Path file = this.witness.resolve("switchboard.dev%2Faudit%2F" + owner.tenant()).resolve(Long.toString(size));
		assertThat(file).exists();
		return file;
	}

	private static String export(AuditApi owner, Instant at) {
		return owner
			.get("/api/v1/audit/export?format=jsonl&from=" + at.minus(1, ChronoUnit.HOURS) + "&to="
					+ at.plus(1, ChronoUnit.HOURS))
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
	}

	private static void append(AuditApi owner, Instant at, int count) {
		String conversation = ConversationIds.of(owner.tenant(), "393334445555");
		long before = ((Number) owner.ok(owner.get("/api/v1/audit/verify")).get("entries")).longValue();
		for (int i = 0; i < count; i++) {
			if (i % 2 == 0) {
				events.publish(new MessageReceived(owner.tenant(), conversation, UUID.randomUUID().toString(),
						UUID.randomUUID().toString(), "393334445555", "wamid." + UUID.randomUUID(), "text", at,
						"message " + (before + i)));
			}
			else {
				events.publish(new WindowOpened(owner.tenant(), conversation, at, at.plus(24, ChronoUnit.HOURS)));
			}
		}
		await().atMost(Duration.ofSeconds(20))
			.until(() -> ((Number) owner.ok(owner.get("/api/v1/audit/verify")).get("entries")).longValue() == before
					+ count);
	}

	private static Run cli(Object... args) {
		String[] strings = new String[args.length];
		for (int i = 0; i < args.length; i++) {
			strings[i] = args[i].toString();
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int status = VerifyExportCli.run(strings, new PrintStream(out, true, StandardCharsets.UTF_8),
				new PrintStream(err, true, StandardCharsets.UTF_8));
		return new Run(status, out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8));
	}

	private record Run(int status, String out) {

	}

}

package dev.switchboard.audit.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.switchboard.audit.AuditApi;
import dev.switchboard.events.ConversationIds;
import dev.switchboard.events.MessageReceived;
import dev.switchboard.events.WindowOpened;
import dev.switchboard.testsupport.Database;
import dev.switchboard.testsupport.IntegrationTest;
import dev.switchboard.testsupport.RealInfrastructure;
import dev.switchboard.testsupport.TestEvents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@IntegrationTest
@AutoConfigureWebTestClient
class VerifyCliIT {

	private static TestEvents events;

	@Autowired
	private WebTestClient http;

	@Autowired
	private MeterRegistry meters;

	@BeforeAll
	static void connect() {
		events = new TestEvents(RealInfrastructure.get().kafkaBootstrapServers());
	}

	@AfterAll
	static void disconnect() {
		events.close();
	}

	@Test
	void whenTheLogIsUntouchedThenTheCliPassesAndAfterSqlTamperingItFails() throws Exception {
		AuditApi owner = new AuditApi(this.http, "tenant-" + UUID.randomUUID(), "olivia", "OWNER");
		String conversation = ConversationIds.of(owner.tenant(), "393337778888");
		Instant at = Instant.now();
		for (int i = 0; i < 3; i++) {
			events.publish(new MessageReceived(owner.tenant(), conversation, UUID.randomUUID().toString(),
					UUID.randomUUID().toString(), "393337778888", "wamid." + UUID.randomUUID(), "text", at,
					"message " + i));
			events.publish(new WindowOpened(owner.tenant(), conversation, at, at.plusSeconds(86_400)));
		}
		await().atMost(Duration.ofSeconds(20))
			.until(() -> ((Number) owner.ok(owner.get("/api/v1/audit/verify")).get("entries")).intValue() == 6);
		Map<?, ?> head = owner.ok(owner.post("/api/v1/audit/tree-heads"));
		String publicKey = (String) head.get("publicKey");

		Run untouched = cli("--tenant", owner.tenant(), "--public-key", publicKey);
		assertThat(untouched.status()).as(untouched.out()).isZero();
		assertThat(untouched.out()).contains("VALID    " + owner.tenant() + ": 6 entries, 6 covered");

		Run untrusted = cli("--tenant", owner.tenant(), "--public-key",
				"MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=");
		assertThat(untrusted.status()).isEqualTo(1);
		assertThat(untrusted.out()).contains("untrusted key");

		tamper("UPDATE audit_entry SET occurred_at = occurred_at - interval '1 hour' WHERE tenant_id = '"
				+ owner.tenant() + "' AND log_index = 4");
		Run tampered = cli("--tenant", owner.tenant(), "--public-key", publicKey);
		assertThat(tampered.status()).isEqualTo(1);
		assertThat(tampered.out()).contains("TAMPERED " + owner.tenant())
			.contains("do not produce the root signed at size 6");

		assertThat(owner.ok(owner.get("/api/v1/audit/verify")).get("valid")).isEqualTo(false);
		assertThat(this.meters.get("switchboard.audit.verification.result").gauge().value()).isZero();

		assertThat(cli("--tenant", owner.tenant()).status()).isEqualTo(2);
		assertThat(cli("--tenant", owner.tenant(), "--public-key", "not a key").status()).isEqualTo(2);
	}

	private static Run cli(String... extra) {
		Database database = RealInfrastructure.get().database();
		String[] base = { "--jdbc-url", database.jdbcUrl(), "--user", database.username(), "--password",
				database.password() };
		String[] args = new String[base.length + extra.length];
		System.arraycopy(base, 0, args, 0, base.length);
		System.arraycopy(extra, 0, args, base.length, extra.length);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int status = VerifyCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
				new PrintStream(err, true, StandardCharsets.UTF_8));
		return new Run(status, out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8));
	}

	/** Changes the log as an attacker with database access would: triggers off. */
	private static void tamper(String sql) throws Exception {
		Database database = RealInfrastructure.get().database();
		try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.username(),
				database.password()); Statement statement = connection.createStatement()) {
			statement.execute("SET search_path TO audit");
			statement.execute("SET session_replication_role = replica");
			statement.execute(sql);
		}
	}

	private record Run(int status, String out) {

	}

}

package dev.switchboard.audit.privacy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.switchboard.audit.AuditApi;
import dev.switchboard.events.ConversationIds;
import dev.switchboard.events.MessageReceived;
import dev.switchboard.support.secrets.SecretUnreadableException;
import dev.switchboard.support.secrets.Secrets;
import dev.switchboard.testsupport.Database;
import dev.switchboard.testsupport.IntegrationTest;
import dev.switchboard.testsupport.RealInfrastructure;
import dev.switchboard.testsupport.TestEvents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Contact keys at rest: PostgreSQL holds each key sealed under the master key, bound to
 * its row; bodies still decrypt, and erasure still shreds them.
 */
@IntegrationTest
@AutoConfigureWebTestClient
class ContactKeysAtRestIT {

	private static TestEvents events;

	@Autowired
	private WebTestClient http;

	@Autowired
	private Secrets secrets;

	@BeforeAll
	static void connect() {
		events = new TestEvents(RealInfrastructure.get().kafkaBootstrapServers());
	}

	@AfterAll
	static void disconnect() {
		events.close();
	}

	@Test
	void whenAContactWritesThenItsKeyIsStoredSealedBodiesReadAndErasureShredsIt() throws Exception {
		String tenant = "tenant-" + UUID.randomUUID();
		String contact = UUID.randomUUID().toString();
		String waId = "39333" + (long) (Math.random() * 10_000_000L);
		AuditApi owner = new AuditApi(this.http, tenant, "olivia", "OWNER");
		events.publish(new MessageReceived(tenant, ConversationIds.of(tenant, waId), UUID.randomUUID().toString(),
				contact, waId, "wamid." + UUID.randomUUID(), "text", Instant.now().truncatedTo(ChronoUnit.SECONDS),
				"my secret order"));
		await().atMost(Duration.ofSeconds(20)).until(() -> keys(tenant).size() == 1);

		StoredKey stored = keys(tenant).getFirst();
		assertThat(stored.sealed()).isNotNull();
		byte[] key = this.secrets.open(stored.sealed(), ContactKeySecrets.COLUMN.context(tenant, stored.id()));
		assertThat(key).hasSize(32);
		assertThat(indexOf(stored.sealed(), key)).as("the key is not in the stored bytes").isEqualTo(-1);
		assertThatExceptionOfType(SecretUnreadableException.class).isThrownBy(() -> this.secrets.open(stored.sealed(),
				ContactKeySecrets.COLUMN.context("another-" + tenant, stored.id())));
		assertThat(bodies(owner, contact)).containsExactly("my secret order");

		assertThat(owner.ok(owner.post("/api/v1/audit/contacts/" + contact + "/erasure")).get("keysDestroyed"))
			.isEqualTo(1);

		assertThat(keys(tenant)).singleElement().satisfies((erased) -> assertThat(erased.sealed()).isNull());
		// The erasure is logged too, without a body.
		assertThat(bodies(owner, contact)).containsExactlyInAnyOrder("erased", null);
		assertThat(owner.ok(owner.get("/api/v1/audit/verify")).get("valid")).isEqualTo(true);
	}

	private static List<Object> bodies(AuditApi owner, String contact) {
		List<Object> bodies = new ArrayList<>();
		((List<?>) owner.ok(owner.get("/api/v1/audit/entries?contactId=" + contact)).get("items"))
			.forEach((item) -> bodies.add(((Map<?, ?>) item).get("body")));
		return bodies;
	}

	private static List<StoredKey> keys(String tenant) throws Exception {
		Database database = RealInfrastructure.get().database();
		try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.username(),
				database.password());
				PreparedStatement select = connection
					.prepareStatement("SELECT key_id, key_sealed FROM audit.contact_key WHERE tenant_id = ?")) {
			select.setString(1, tenant);
			try (ResultSet rows = select.executeQuery()) {
				List<StoredKey> keys = new ArrayList<>();
				while (rows.next()) {
					keys.add(new StoredKey(rows.getObject(1, UUID.class), rows.getBytes(2)));
				}
				return keys;
			}
		}
	}

	private static int indexOf(byte[] haystack, byte[] needle) {
		outer: for (int i = 0; i <= haystack.length - needle.length; i++) {
			for (int j = 0; j < needle.length; j++) {
				if (haystack[i + j] != needle[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

	private record StoredKey(UUID id, byte[] sealed) {

	}

}

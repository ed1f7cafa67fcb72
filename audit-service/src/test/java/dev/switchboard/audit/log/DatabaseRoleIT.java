package dev.switchboard.audit.log;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;

import dev.switchboard.events.ConversationIds;
import dev.switchboard.events.WindowOpened;
import dev.switchboard.testsupport.IntegrationTest;
import dev.switchboard.testsupport.RealInfrastructure;
import dev.switchboard.testsupport.TestEvents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The service's own database connections cannot change the log, whatever the code does.
 */
@IntegrationTest
class DatabaseRoleIT {

	private static TestEvents events;

	@Autowired
	private DatabaseClient database;

	@BeforeAll
	static void connect() {
		events = new TestEvents(RealInfrastructure.get().kafkaBootstrapServers());
	}

	@AfterAll
	static void disconnect() {
		events.close();
	}

	@Test
	void whenTheServiceConnectionUpdatesOrDeletesTheLogThenPermissionIsDenied() {
		String tenant = "tenant-" + UUID.randomUUID();
		String conversation = ConversationIds.of(tenant, "393330009999");
		events.publish(new WindowOpened(tenant, conversation, Instant.now(), Instant.now().plusSeconds(86_400)));
		await().atMost(Duration.ofSeconds(20)).until(() -> count(tenant) == 1);

		assertThat(this.database.sql("SELECT current_user AS role")
			.map((row) -> row.get("role", String.class))
			.one()
			.block()).isEqualTo("audit_writer");
		for (String sql : new String[] {
				"UPDATE audit_entry SET event_type = 'forged' WHERE tenant_id = '" + tenant + "'",
				"DELETE FROM audit_entry WHERE tenant_id = '" + tenant + "'",
				"UPDATE audit_tree_head SET key_id = 'forged' WHERE tenant_id = '" + tenant + "'",
				"DELETE FROM audit_tree_head WHERE tenant_id = '" + tenant + "'", "TRUNCATE audit_entry" }) {
			assertThatThrownBy(() -> this.database.sql(sql).then().block()).as(sql)
				.hasMessageContaining("permission denied");
		}
		assertThat(this.database.sql("""
				SELECT has_table_privilege('audit_writer', 'audit_entry', 'UPDATE')
				    OR has_table_privilege('audit_writer', 'audit_entry', 'DELETE')
				    OR has_table_privilege('audit_writer', 'audit_tree_head', 'UPDATE')
				    OR has_table_privilege('audit_writer', 'audit_tree_head', 'DELETE') AS allowed""")
			.map((row) -> row.get("allowed", Boolean.class))
			.one()
			.block()).isFalse();
		assertThat(count(tenant)).isEqualTo(1);
	}

	private long count(String tenant) {
		Long n = this.database.sql("SELECT count(*) AS n FROM audit_entry WHERE tenant_id = :tenant")
			.bind("tenant", tenant)
			.map((row) -> row.get("n", Long.class))
			.one()
			.block();
		return (n != null) ? n : 0;
	}

}

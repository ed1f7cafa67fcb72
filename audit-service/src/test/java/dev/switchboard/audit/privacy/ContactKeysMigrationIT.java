package dev.switchboard.audit.privacy;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.support.secrets.MasterKey;
import dev.switchboard.support.secrets.Secrets;
import dev.switchboard.testsupport.Database;
import dev.switchboard.testsupport.RealInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The audit schema of its own, without the service: V5 seals the contact keys that V3
 * stored in the clear, keeps erased keys erased, and the erasure rule still holds.
 */
class ContactKeysMigrationIT {

	private final Database db = RealInfrastructure.get().database();

	private final String schema = "contact_keys_" + UUID.randomUUID().toString().replace("-", "");

	private final Secrets secrets = new Secrets(MasterKey.of(MasterKey.generate(), List.of()),
			new SimpleMeterRegistry());

	@AfterEach
	void drop() throws Exception {
		try (Connection connection = connect(); Statement statement = connection.createStatement()) {
			statement.execute("DROP SCHEMA IF EXISTS " + this.schema + " CASCADE");
		}
	}

	@Test
	void whenV5RunsOnPlaintextKeysThenLiveKeysAreSealedAndErasedOnesStayErased() throws Exception {
		flyway().target("4").load().migrate();
		UUID live = UUID.randomUUID();
		UUID erased = UUID.randomUUID();
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		try (Connection connection = connect();
				PreparedStatement insert = connection.prepareStatement("INSERT INTO " + this.schema
						+ ".contact_key (key_id, tenant_id, contact_id, key, created_at, erased_at) VALUES (?, 'acme', ?, ?, ?, ?)")) {
			insert.setObject(1, live);
			insert.setString(2, "giulia");
			insert.setBytes(3, key);
			insert.setObject(4, OffsetDateTime.now());
			insert.setObject(5, null);
			insert.executeUpdate();
			insert.setObject(1, erased);
			insert.setString(2, "mario");
			insert.setBytes(3, null);
			insert.setObject(5, OffsetDateTime.now());
			insert.executeUpdate();
		}

		flyway().load().migrate();

		assertThat(this.secrets.open(sealed(live), ContactKeySecrets.COLUMN.context("acme", live))).isEqualTo(key);
		assertThat(sealed(erased)).isNull();
		try (Connection connection = connect(); Statement statement = connection.createStatement()) {
			ResultSet columns = statement
				.executeQuery("SELECT column_name FROM information_schema.columns " + "WHERE table_schema = '"
						+ this.schema + "' AND table_name = 'contact_key' AND column_name = 'key'");
			assertThat(columns.next()).as("the plaintext column is gone").isFalse();
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> statement.execute("INSERT INTO "
					+ this.schema
					+ ".contact_key (key_id, tenant_id, contact_id, created_at) VALUES (gen_random_uuid(), 'acme', 'x', now())"))
				.withMessageContaining("contact_key_erased");
		}
	}

	private FluentConfiguration flyway() {
		return Flyway.configure()
			.dataSource(this.db.jdbcUrl(), this.db.username(), this.db.password())
			.schemas(this.schema)
			.defaultSchema(this.schema)
			.locations("classpath:db/migration", "classpath:db/support")
			.javaMigrations(ContactKeySecrets.sealContactKeysMigration(this.secrets));
	}

	private byte[] sealed(UUID id) throws Exception {
		try (Connection connection = connect();
				PreparedStatement select = connection
					.prepareStatement("SELECT key_sealed FROM " + this.schema + ".contact_key WHERE key_id = ?")) {
			select.setObject(1, id);
			try (ResultSet row = select.executeQuery()) {
				assertThat(row.next()).isTrue();
				return row.getBytes(1);
			}
		}
	}

	private Connection connect() throws Exception {
		return DriverManager.getConnection(this.db.jdbcUrl(), this.db.username(), this.db.password());
	}

}

package dev.switchboard.inbox.integration;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.r2dbc.core.DatabaseClient;

import dev.switchboard.support.secrets.MasterKey;
import dev.switchboard.support.secrets.MasterKeyRewrap;
import dev.switchboard.support.secrets.SecretsProperties;
import dev.switchboard.support.secrets.Secrets;
import dev.switchboard.testsupport.Database;
import dev.switchboard.testsupport.RealInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The inbox schema of its own, without the service: V5 seals the CRM secrets that V4
 * stored in the clear, then the master key is rotated (K2 primary with K1 previous reads,
 * the rewrap moves every envelope to K2, K2 alone reads).
 */
class CrmSecretsMigrationIT {

	private final Database db = RealInfrastructure.get().database();

	private final String schema = "crm_secrets_" + UUID.randomUUID().toString().replace("-", "");

	private final String k1 = MasterKey.generate();

	private final String k2 = MasterKey.generate();

	@AfterEach
	void drop() throws Exception {
		try (Connection connection = connect(); Statement statement = connection.createStatement()) {
			statement.execute("DROP SCHEMA IF EXISTS " + this.schema + " CASCADE");
		}
	}

	@Test
	void whenV5RunsOnPlaintextSecretsThenTheyAreSealedAndSurviveAMasterKeyRotation() throws Exception {
		Secrets underK1 = secrets(this.k1);
		flyway(underK1).target("4").load().migrate();
		UUID id = UUID.randomUUID();
		try (Connection connection = connect();
				PreparedStatement insert = connection.prepareStatement("INSERT INTO " + this.schema
						+ ".crm_subscription (id, tenant_id, url, event_types, secret, created_by, created_at) "
						+ "VALUES (?, 'acme', 'https://crm.example.com', '{MESSAGE_RECEIVED}', 'whsec_plain', 'boss', ?)")) {
			insert.setObject(1, id);
			insert.setObject(2, OffsetDateTime.now());
			insert.executeUpdate();
		}

		flyway(underK1).load().migrate();

		byte[] sealed = sealed(id);
		assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("whsec_plain");
		assertThat(columns()).contains("secret_sealed").doesNotContain("secret");
		assertThat(underK1.openString(sealed, CrmSecrets.COLUMN.context("acme", id))).isEqualTo("whsec_plain");

		// A row under a key nobody configured: the rewrap leaves it and moves the rest.
		UUID stray = UUID.randomUUID();
		byte[] underK3 = secrets(MasterKey.generate()).seal("whsec_stray", CrmSecrets.COLUMN.context("acme", stray));
		try (Connection connection = connect();
				PreparedStatement insert = connection.prepareStatement("INSERT INTO " + this.schema
						+ ".crm_subscription (id, tenant_id, url, event_types, secret_sealed, created_by, created_at) "
						+ "VALUES (?, 'acme', 'https://crm.example.com', '{MESSAGE_RECEIVED}', ?, 'boss', now())")) {
			insert.setObject(1, stray);
			insert.setBytes(2, underK3);
			insert.executeUpdate();
		}

		// K2 primary, K1 previous: reads; the rewrap moves the data key to K2.
		Secrets rotating = new Secrets(MasterKey.of(this.k2, List.of(this.k1)), new SimpleMeterRegistry());
		assertThat(rotating.openString(sealed, CrmSecrets.COLUMN.context("acme", id))).isEqualTo("whsec_plain");
		ConnectionFactoryOptions.Builder options = ConnectionFactoryOptions.builder()
			.option(ConnectionFactoryOptions.DRIVER, "postgresql")
			.option(ConnectionFactoryOptions.HOST, this.db.host())
			.option(ConnectionFactoryOptions.PORT, this.db.port())
			.option(ConnectionFactoryOptions.DATABASE, this.db.name())
			.option(ConnectionFactoryOptions.USER, this.db.username())
			.option(Option.valueOf("schema"), this.schema);
		if (!this.db.password().isEmpty()) {
			options.option(ConnectionFactoryOptions.PASSWORD, this.db.password());
		}
		ConnectionFactory connections = ConnectionFactories.get(options.build());
		MasterKeyRewrap rewrap = new MasterKeyRewrap(rotating, DatabaseClient.create(connections),
				List.of(CrmSecrets.COLUMN), new SecretsProperties(null, List.of(), false, 1),
				new SimpleMeterRegistry());
		assertThat(rewrap.rewrapAll().block()).isEqualTo(1);
		assertThat(rewrap.rewrapAll().block()).as("nothing left under K1").isZero();
		assertThat(sealed(stray)).isEqualTo(underK3);

		Secrets onlyK2 = secrets(this.k2);
		assertThat(onlyK2.openString(sealed(id), CrmSecrets.COLUMN.context("acme", id))).isEqualTo("whsec_plain");
		assertThatExceptionOfType(RuntimeException.class)
			.isThrownBy(() -> underK1.open(sealed(id), CrmSecrets.COLUMN.context("acme", id)));
	}

	private FluentConfiguration flyway(Secrets secrets) {
		return Flyway.configure()
			.dataSource(this.db.jdbcUrl(), this.db.username(), this.db.password())
			.schemas(this.schema)
			.defaultSchema(this.schema)
			.locations("classpath:db/migration", "classpath:db/support")
			.javaMigrations(CrmSecrets.sealCrmSecretsMigration(secrets));
	}

	private byte[] sealed(UUID id) throws Exception {
		try (Connection connection = connect();
				PreparedStatement select = connection
					.prepareStatement("SELECT secret_sealed FROM " + this.schema + ".crm_subscription WHERE id = ?")) {
			select.setObject(1, id);
			try (ResultSet row = select.executeQuery()) {
				assertThat(row.next()).isTrue();
				return row.getBytes(1);
			}
		}
	}

	private List<String> columns() throws Exception {
		try (Connection connection = connect();
				PreparedStatement select = connection.prepareStatement(
						"SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = 'crm_subscription'")) {
			select.setString(1, this.schema);
			try (ResultSet rows = select.executeQuery()) {
				List<String> names = new ArrayList<>();
				while (rows.next()) {
					names.add(rows.getString(1));
				}
				return names;
			}
		}
	}

	private Connection connect() throws Exception {
		return DriverManager.getConnection(this.db.jdbcUrl(), this.db.username(), this.db.password());
	}

	private static Secrets secrets(String masterKey) {
		return new Secrets(MasterKey.of(masterKey, List.of()), new SimpleMeterRegistry());
	}

}

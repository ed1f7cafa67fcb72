package dev.switchboard.local;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A private cluster from the installed PostgreSQL binaries on a port where nothing
 * listens, as {@code ./start-local} runs one where no PostgreSQL answers; a second start
 * reuses its data.
 */
class LocalPostgresIT {

	@Test
	void whenNoPostgresAnswersThenAPrivateClusterStartsAndIsReused() throws Exception {
		assumeTrue(LocalPostgres.isInstalled(), "PostgreSQL's server binaries are not in /usr/lib/postgresql");
		// Under target/, not a temporary folder: as root the cluster belongs to the
		// postgres user, which must reach it.
		Path directory = Path.of("target", "local-postgres-it").toAbsolutePath();
		Platform.Settings.Database configured = new Platform.Settings.Database("127.0.0.1", Ports.free(), "postgres",
				"postgres", "");
		try (LocalPostgres postgres = LocalPostgres.start(configured, directory)) {
			assertThat(postgres.isPrivate()).isTrue();
			assertThat(postgres.database().port()).isEqualTo(configured.port());
			execute(postgres.database(), "CREATE TABLE IF NOT EXISTS kept (id int); INSERT INTO kept VALUES (1)");
		}
		assertThat(LocalPostgres.answers("127.0.0.1", configured.port())).isFalse();
		try (LocalPostgres again = LocalPostgres.start(configured, directory)) {
			assertThat(again.isPrivate()).isTrue();
			assertThat(count(again.database())).isPositive();
		}
	}

	private static void execute(Platform.Settings.Database database, String sql) throws Exception {
		try (Connection connection = connect(database); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	private static int count(Platform.Settings.Database database) throws Exception {
		try (Connection connection = connect(database);
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT count(*) FROM kept")) {
			result.next();
			return result.getInt(1);
		}
	}

	private static Connection connect(Platform.Settings.Database database) throws Exception {
		return DriverManager.getConnection(
				"jdbc:postgresql://" + database.host() + ":" + database.port() + "/" + database.name(),
				database.username(), database.password());
	}

}

package dev.switchboard.local;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class DatabaseEnvironmentTests {

	@Test
	void whenNothingIsSetThenTheLocalDefaults() {
		assertThat(DatabaseEnvironment.database(Map.of()))
			.isEqualTo(new Platform.Settings.Database("127.0.0.1", 5432, "switchboard", "postgres", ""));
	}

	@Test
	void whenPgVariablesAreSetThenTheyAreTheDefaults() {
		Map<String, String> env = Map.of("PGHOST", "db.example", "PGPORT", "5433", "PGDATABASE", "sb", "PGUSER",
				"alice", "PGPASSWORD", "secret");
		assertThat(DatabaseEnvironment.database(env))
			.isEqualTo(new Platform.Settings.Database("db.example", 5433, "sb", "alice", "secret"));
	}

	@Test
	void whenBothAreSetThenSwitchboardVariablesWin() {
		Map<String, String> env = Map.of("PGHOST", "db.example", "SWITCHBOARD_DB_HOST", "127.0.0.1", "PGPORT", "5433",
				"SWITCHBOARD_DB_PORT", "5434", "PGUSER", "alice", "SWITCHBOARD_DB_USERNAME", "bob", "PGPASSWORD", "a",
				"SWITCHBOARD_DB_PASSWORD", "b", "PGDATABASE", "x", "SWITCHBOARD_DB_NAME", "y");
		assertThat(DatabaseEnvironment.database(env))
			.isEqualTo(new Platform.Settings.Database("127.0.0.1", 5434, "y", "bob", "b"));
	}

	@Test
	void whenASwitchboardVariableIsBlankThenThePgVariableApplies() {
		assertThat(DatabaseEnvironment.database(Map.of("SWITCHBOARD_DB_PORT", " ", "PGPORT", "6543")).port())
			.isEqualTo(6543);
	}

	@Test
	void whenPgHostIsASocketDirectoryThenTheLoopbackAddress() {
		assertThat(DatabaseEnvironment.database(Map.of("PGHOST", "/var/run/postgresql")).host()).isEqualTo("127.0.0.1");
	}

	@Test
	void whenThePortIsNotANumberThenTheMessageNamesTheVariables() {
		assertThatIllegalArgumentException().isThrownBy(() -> DatabaseEnvironment.database(Map.of("PGPORT", "x")))
			.withMessageContaining("SWITCHBOARD_DB_PORT or PGPORT");
	}

}

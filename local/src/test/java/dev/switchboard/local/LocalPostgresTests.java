package dev.switchboard.local;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class LocalPostgresTests {

	private final Platform.Settings.Database configured = new Platform.Settings.Database("localhost", 5432,
			"switchboard", "postgres", "");

	@Test
	void whenAPostgresAnswersThenItIsUsedAsConfigured() {
		LocalPostgres.Plan plan = LocalPostgres.plan(this.configured, true, (port) -> false, () -> 1);
		assertThat(plan.privateCluster()).isFalse();
		assertThat(plan.database()).isEqualTo(this.configured);
	}

	@Test
	void whenNoneAnswersAndThePortIsFreeThenAPrivateClusterOnIt() {
		LocalPostgres.Plan plan = LocalPostgres.plan(this.configured, false, (port) -> true, () -> 1);
		assertThat(plan.privateCluster()).isTrue();
		assertThat(plan.database())
			.isEqualTo(new Platform.Settings.Database("127.0.0.1", 5432, "switchboard", "postgres", ""));
	}

	@Test
	void whenNoneAnswersAndThePortIsTakenThenAPrivateClusterOnAFreePort() {
		LocalPostgres.Plan plan = LocalPostgres.plan(this.configured, false, (port) -> false, () -> 54321);
		assertThat(plan.privateCluster()).isTrue();
		assertThat(plan.database().port()).isEqualTo(54321);
	}

	@Test
	void whenNoneAnswersOnAnotherMachineThenTheStartStops() {
		Platform.Settings.Database remote = new Platform.Settings.Database("db.example", 5432, "switchboard",
				"postgres", "");
		assertThatIllegalStateException().isThrownBy(() -> LocalPostgres.plan(remote, false, (port) -> true, () -> 1))
			.withMessageContaining("No PostgreSQL answers at db.example:5432")
			.withMessageContaining("PGHOST");
	}

}

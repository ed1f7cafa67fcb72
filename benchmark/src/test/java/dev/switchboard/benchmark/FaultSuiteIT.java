package dev.switchboard.benchmark;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fault suite at a reduced size (a few hundred webhooks per scenario) on the whole
 * platform: real broker in a child JVM, a private PostgreSQL cluster when this machine
 * can run one, the five services as processes.
 */
class FaultSuiteIT {

	@Test
	void whenServicesTheBrokerAndTheDatabaseFailUnderLoadThenNothingAcknowledgedIsLostOrDoubled() throws Exception {
		Path home = Path.of("").toAbsolutePath().getParent();
		List<Reconciliation.Outcome> outcomes = FaultSuite.run(home, Path.of("target/fault-suite-it").toAbsolutePath(),
				300, 100);

		assertThat(outcomes).extracting(Reconciliation.Outcome::scenario)
			.contains("SIGKILL inbox-service and restart", "SIGTERM inbox-service (graceful) and restart",
					"Kafka broker stopped and restarted", "every webhook three times, statuses out of order",
					"Graph API 500s and rate limits");
		assertThat(outcomes).allSatisfy((outcome) -> {
			assertThat(outcome.problems()).as(outcome.scenario()).isEmpty();
			assertThat(outcome.acknowledged()).as(outcome.scenario()).isPositive();
			assertThat(outcome.lost()).isZero();
			assertThat(outcome.duplicateMessages()).isZero();
			assertThat(outcome.duplicateCharges()).isZero();
			assertThat(outcome.auditValid()).isTrue();
		});
	}

}

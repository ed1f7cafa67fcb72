package dev.switchboard.benchmark;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two replicas of every service (two gateways; two inbox, routing, audit and billing
 * consumers in each group) against one broker and one database, with the fault suite's
 * load posted through both gateways at a reduced size: nothing acknowledged is lost or
 * doubled, the audit log (signed by both audit replicas with one key) verifies, window
 * timers and escalations fire once whichever routing replica finds them, and the send cap
 * holds across both inbox replicas where Meta would see it, at the sandbox.
 */
class ReplicasIT {

	/**
	 * A send cap far below the rate at which two gateways take a burst in on a loaded
	 * two-core machine (about 10 replies a second), so that the burst's receive times
	 * show the cap: shared, 40 take 19 s; a cap per replica would send them in half that.
	 */
	private static final int SEND_CAP = 2;

	@Test
	void whenEveryServiceRunsTwiceThenNothingIsLostOrDoubledTimersFireOnceAndTheSendCapHolds() throws Exception {
		Path home = Path.of("").toAbsolutePath().getParent();
		List<Reconciliation.Outcome> outcomes = new ArrayList<>();
		// A private PostgreSQL cluster where this machine can run one: ten services'
		// pools
		// need more connections than a shared server may have free.
		try (Harness harness = Harness.start(home, Path.of("target/replicas-it").toAbsolutePath(), true,
				Services.localJvmOptions(), Duration.ofSeconds(2), 2,
				Map.of("SWITCHBOARD_WHATSAPP_MESSAGES_PER_SECOND", Integer.toString(SEND_CAP)))) {
			assertThat(harness.gateways()).hasSize(2);
			Tenant tenant = new Tenant(harness.gateway());
			tenant.setUp(4, 1000);
			ScenarioSession session = new ScenarioSession(harness, tenant, 100, Duration.ofSeconds(120));
			FaultScenarios faults = new FaultScenarios(session, 300);
			ReplicaScenarios replicas = new ReplicaScenarios(session);
			outcomes.add(faults.killService("inbox-service-2"));
			outcomes.add(replicas.windowTimers(20, Duration.ofSeconds(20)));
			outcomes.add(faults.graphApiErrors());
			outcomes.add(replicas.sendCap(40, SEND_CAP));
		}
		System.out.println(FaultSuite.table(outcomes));

		assertThat(outcomes).hasSize(4).allSatisfy((outcome) -> {
			assertThat(outcome.problems()).as(outcome.scenario()).isEmpty();
			assertThat(outcome.acknowledged()).as(outcome.scenario()).isPositive();
			assertThat(outcome.lost()).isZero();
			assertThat(outcome.duplicateMessages()).isZero();
			assertThat(outcome.duplicateAudit()).isZero();
			assertThat(outcome.duplicateCharges()).isZero();
			assertThat(outcome.auditValid()).isTrue();
		});
	}

}

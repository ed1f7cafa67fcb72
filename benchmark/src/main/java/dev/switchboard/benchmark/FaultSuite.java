package dev.switchboard.benchmark;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The fault suite: one platform, the scenarios one after another, each ending with a
 * reconciliation; prints the table and exits non-zero when any scenario fails. Arguments:
 * {@code [messages per scenario (2000)] [webhooks per second (200)]}.
 */
public final class FaultSuite {

	private FaultSuite() {
	}

	public static void main(String[] args) throws Exception {
		int messages = (args.length > 0) ? Integer.parseInt(args[0]) : 2000;
		double rate = (args.length > 1) ? Double.parseDouble(args[1]) : 200;
		Path home = Path.of(System.getProperty("switchboard.home", "")).toAbsolutePath();
		Path work = home.resolve("benchmark/target/fault-suite");
		List<Reconciliation.Outcome> outcomes = run(home, work, messages, rate);
		System.exit(outcomes.stream().allMatch(Reconciliation.Outcome::passed) ? 0 : 1);
	}

	/**
	 * Runs every scenario on a fresh platform.
	 * @param home the repository root
	 * @param work where logs and data go
	 * @param messages inbound messages per scenario
	 * @param rate webhooks per second
	 * @return one outcome per scenario (PostgreSQL's restart is left out when this
	 * machine cannot restart it)
	 * @throws Exception if the platform does not start
	 */
	static List<Reconciliation.Outcome> run(Path home, Path work, int messages, double rate) throws Exception {
		List<Reconciliation.Outcome> outcomes = new ArrayList<>();
		try (Harness harness = Harness.start(home, work, true, Services.localJvmOptions(), Duration.ofSeconds(2))) {
			Tenant tenant = new Tenant(harness.gateway());
			tenant.setUp(4, 1000);
			FaultScenarios scenarios = new FaultScenarios(
					new ScenarioSession(harness, tenant, rate, Duration.ofSeconds(120)), messages);
			outcomes.add(report(scenarios.killService("inbox-service")));
			outcomes.add(report(scenarios.killService("routing-service")));
			outcomes.add(report(scenarios.stopService("inbox-service")));
			outcomes.add(report(scenarios.brokerRestart()));
			if (harness.postgres().restartable()) {
				outcomes.add(report(scenarios.postgresRestart()));
			}
			else {
				Harness.log("PostgreSQL restart left out: this machine cannot run a private PostgreSQL cluster");
			}
			outcomes.add(report(scenarios.redeliveries()));
			outcomes.add(report(scenarios.graphApiErrors()));
		}
		System.out.println(table(outcomes));
		return outcomes;
	}

	private static Reconciliation.Outcome report(Reconciliation.Outcome outcome) {
		Harness.log((outcome.passed() ? "PASS " : "FAIL ") + outcome.scenario() + " " + outcome.problems());
		return outcome;
	}

	static String table(List<Reconciliation.Outcome> outcomes) {
		StringBuilder text = new StringBuilder(
				"\nFault suite reconciliation (cumulative: everything acknowledged so far)\n\n");
		text.append(String.format(Locale.ROOT,
				"| %-50s | %6s | %6s | %4s | %4s | %9s | %9s | %7s | %9s | %7s | %7s | %6s | %s%n", "scenario", "acked",
				"stored", "lost", "dup", "unaudited", "dup audit", "charges", "dup chrg", "windows", "assign", "audit",
				"result"));
		text.append("|")
			.append("-".repeat(52))
			.append("|--------|--------|------|------|-----------|-----------|---------|-----------|---------|---------|--------|-------\n");
		for (Reconciliation.Outcome o : outcomes) {
			text.append(String.format(Locale.ROOT,
					"| %-50s | %6d | %6d | %4d | %4d | %9d | %9d | %7d | %9d | %7d | %7d | %6s | %s%n", o.scenario(),
					o.acknowledged(), o.stored(), o.lost(), o.duplicateMessages(), o.notAudited(), o.duplicateAudit(),
					o.charges(), o.duplicateCharges(), o.windowsInconsistent(), o.assignmentsInconsistent(),
					o.auditValid() ? "valid" : "BROKEN", o.passed() ? "PASS" : "FAIL " + o.problems()));
		}
		return text.toString();
	}

}

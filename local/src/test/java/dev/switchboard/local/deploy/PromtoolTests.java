package dev.switchboard.local.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Prometheus's own checks of deploy/prometheus ({@code promtool check config},
 * {@code check rules}, {@code test rules}), and that every alert has a runbook and a unit
 * test in which it fires.
 */
class PromtoolTests {

	private static Path prometheusDirectory;

	@BeforeAll
	static void locate() {
		prometheusDirectory = Repository.deploy().resolve("prometheus");
	}

	@Test
	void whenPromtoolChecksTheConfigThenItAndItsRuleFilesAreValid() throws Exception {
		Result result = promtool("check", "config", "prometheus.yml");
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(result.output()).contains("SUCCESS").contains("rules/switchboard.yml");
	}

	@Test
	void whenPromtoolChecksTheRulesThenEveryRuleFileIsValid() throws Exception {
		List<String> arguments = new ArrayList<>(List.of("check", "rules"));
		arguments.addAll(files("rules"));
		Result result = promtool(arguments.toArray(String[]::new));
		assertThat(result.exitCode()).as(result.output()).isZero();
	}

	@Test
	void whenPromtoolRunsTheAlertUnitTestsThenTheyPass() throws Exception {
		List<String> arguments = new ArrayList<>(List.of("test", "rules"));
		arguments.addAll(files("tests"));
		Result result = promtool(arguments.toArray(String[]::new));
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(result.output()).doesNotContain("FAILED");
	}

	@Test
	void whenAnAlertIsDefinedThenItHasARunbookASeverityAndAUnitTestInWhichItFires() throws IOException {
		Map<String, Map<String, Object>> alerts = new LinkedHashMap<>();
		for (String file : files("rules")) {
			for (Map<String, Object> group : groups(load(file), "groups")) {
				for (Map<String, Object> rule : groups(group, "rules")) {
					if (rule.get("alert") != null) {
						alerts.put(rule.get("alert").toString(), rule);
					}
				}
			}
		}
		assertThat(alerts).containsKeys("SwitchboardServiceDown", "SwitchboardWebhookErrorRate",
				"SwitchboardConsumerLagGrowing", "SwitchboardOutboxStale", "SwitchboardWindowsExpiredUnanswered",
				"SwitchboardAuditVerificationFailed");
		Set<String> firing = new LinkedHashSet<>();
		for (String file : files("tests")) {
			Map<String, Object> tests = load(file);
			assertThat(tests.get("rule_files").toString()).as(file).contains("rules/switchboard.yml");
			for (Map<String, Object> test : groups(tests, "tests")) {
				for (Map<String, Object> check : groups(test, "alert_rule_test")) {
					if (check.get("exp_alerts") instanceof List<?> expected && !expected.isEmpty()) {
						firing.add(check.get("alertname").toString());
					}
				}
			}
		}
		alerts.forEach((name, rule) -> {
			@SuppressWarnings("unchecked")
			Map<String, Object> annotations = (Map<String, Object>) rule.get("annotations");
			assertThat(annotations).as(name).containsKeys("summary", "runbook");
			assertThat(annotations.get("runbook").toString()).as(name + " runbook").hasSizeGreaterThan(80);
			assertThat(((Map<?, ?>) rule.get("labels")).get("severity")).as(name).isIn("critical", "warning");
		});
		assertThat(firing).as("alerts with a unit test in which they fire").containsAll(alerts.keySet());
	}

	@Test
	void whenAmtoolChecksTheAlertmanagerConfigThenItIsValidAndCriticalAlertsHaveTheirOwnRoute() throws Exception {
		Path amtool = Binaries.find("amtool").orElse(null);
		Assumptions.assumeTrue(amtool != null,
				"Skipped: amtool is not on the PATH; install it with: apt-get install -y "
						+ "prometheus-alertmanager (CI does, in .ci/run)");
		Path config = Repository.deploy().resolve("alertmanager/alertmanager.yml");
		Process process = new ProcessBuilder(amtool.toString(), "check-config", config.toString())
			.redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("amtool finished").isTrue();
		assertThat(process.exitValue()).as(output).isZero();
		assertThat(output).contains("SUCCESS");
		assertThat(Files.readString(config)).contains("severity=\"critical\"");
		Map<String, Object> prometheus = load("prometheus.yml");
		assertThat(prometheus.get("alerting").toString()).as("prometheus.yml sends its alerts to Alertmanager")
			.contains("alertmanager:9093");
	}

	private static Result promtool(String... arguments) throws IOException, InterruptedException {
		Path promtool = Binaries.promtool().orElse(null);
		Assumptions.assumeTrue(promtool != null, "Skipped: promtool is not on the PATH; " + Binaries.INSTALL_HINT);
		List<String> command = new ArrayList<>(List.of(promtool.toString()));
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).directory(prometheusDirectory.toFile())
			.redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
		return new Result(process.exitValue(), output);
	}

	private static List<String> files(String directory) throws IOException {
		try (Stream<Path> files = Files.list(prometheusDirectory.resolve(directory))) {
			List<String> names = files.filter((file) -> file.toString().endsWith(".yml"))
				.map((file) -> directory + "/" + file.getFileName())
				.sorted()
				.toList();
			assertThat(names).as(directory).isNotEmpty();
			return names;
		}
	}

	private static Map<String, Object> load(String file) throws IOException {
		try (Reader reader = Files.newBufferedReader(prometheusDirectory.resolve(file))) {
			return new Yaml().load(reader);
		}
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> groups(Map<String, Object> node, String key) {
		Object value = node.get(key);
		return (value instanceof List<?> list) ? (List<Map<String, Object>>) list : List.of();
	}

	private record Result(int exitCode, String output) {

	}

}

package dev.switchboard.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class BenchmarkTests {

	@Test
	void whenProcessesUsedCpuDuringAStageThenTheRowShowsEachOnePerMessageAndTheTotal() {
		Map<String, Duration> before = new LinkedHashMap<>();
		before.put("gateway-service", Duration.ofSeconds(10));
		before.put("postgresql", Duration.ofSeconds(1));
		Map<String, Duration> after = new LinkedHashMap<>();
		after.put("gateway-service", Duration.ofSeconds(12));
		after.put("postgresql", Duration.ofSeconds(4));
		after.put("load generator", Duration.ofMillis(500));

		assertThat(Benchmark.cpuPerMessage(before, after, 1000))
			.isEqualTo("gateway 2.00, postgresql 3.00, load generator 0.50, total 5.50 ms");
	}

	@Test
	void whenProcessesUsedCpuOverAnIntervalThenTheRowShowsTheCoresEachOneUsed() {
		Map<String, Duration> before = Map.of("gateway-service", Duration.ofSeconds(10));
		Map<String, Duration> after = new LinkedHashMap<>();
		after.put("gateway-service", Duration.ofSeconds(25));
		after.put("load generator", Duration.ofSeconds(2));

		assertThat(Benchmark.coresUsed(before, after, 20_000))
			.isEqualTo("gateway 0.75, load generator 0.10, total 0.85 cores");
	}

	@Test
	void whenPostgresCountedStatementsThenTheyAreSummedPerMessageAndListedMostCostlyFirst() {
		List<List<String>> statements = List.of(List.of("3000", "450.0", "0.150", "3000", "INSERT INTO a | b"),
				List.of("1000", "50.5", "0.051", "1000", "SELECT 1"));

		assertThat(Benchmark.statementsPerMessage(statements, 1000)).isEqualTo("4.0 statements, 0.50 ms executing");
		assertThat(Benchmark.statementsReport(statements, 1000))
			.contains("| 3000 | 3.00 | 450.0 | 0.150 | 3000 | `INSERT INTO a \\| b` |")
			.contains("| 1000 | 1.00 | 50.5 | 0.051 | 1000 | `SELECT 1` |");
	}

	@Test
	void whenAThreadsStatIsReadThenItsTicksCountOnlyForTheNamedThreads(@TempDir Path proc) throws IOException {
		Path stat = proc.resolve("stat");
		Files.writeString(stat,
				"4242 (C2 CompilerThre) S 1 4242 4242 0 -1 4194368 900 0 0 0 250 31 0 0 20 0 1 0 7 0 0\n");

		assertThat(Processes.threadTicks(stat, "C2 CompilerThre")).isEqualTo(281);
		assertThat(Processes.threadTicks(stat, "reactor-http")).isZero();
		assertThat(Processes.threadTicks(proc.resolve("missing"), "C2 CompilerThre")).isZero();
	}

	@Test
	void whenTheCurrentProcessIsMeasuredThenItHasUsedSomeCpu() {
		assertThat(Processes.cpuTime(ProcessHandle.current().pid(), true)).isPositive();
		assertThat(Processes.cpuTime(Long.MAX_VALUE, false)).isZero();
	}

	@Test
	void whenTheThreadsOfAProcessAreListedByNameThenOnlyItsCollectorThreadIsFound() {
		long pid = ProcessHandle.current().pid();

		assertThat(Processes.threads(pid, "VM Thread")).hasSize(1);
		assertThat(Processes.threads(pid, "no such thread")).isEmpty();
		assertThat(Processes.threads(Long.MAX_VALUE, "VM Thread")).isEmpty();
	}

	@Test
	void whenOnlyTheAssignmentPathIsNicedThenOnlyItsCollectorsAreRaised() {
		long pid = ProcessHandle.current().pid();

		assertThat(Processes.prioritiseCollector("gateway-service", pid)).isFalse();
		assertThat(Processes.prioritiseCollector("audit-service", pid)).isFalse();
		assertThat(Processes.prioritiseCollector("billing-service", pid)).isFalse();
		// This JVM runs at nice 0 already: raising its collector to 0 is allowed and
		// changes nothing.
		assertThat(Processes.prioritiseCollector("inbox-service", pid)).isTrue();
	}

}

package dev.switchboard.benchmark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.HdrHistogram.Histogram;

/**
 * The benchmark: starts the platform as the local start does, sets the demo tenant up so
 * that conversations get assigned, posts signed webhooks at a fixed arrival rate, runs
 * Kafka's producer perf test on the same broker, and prints the table. Arguments:
 * {@code [seconds per stage (60)] [throughput rate (5000)] [latency rate (1000)]}.
 */
public final class Benchmark {

	/** At most so many warm-up rounds (20 s each at the default rate). */
	static final int WARM_UP_ROUNDS = 5;

	/** New messages in each warm-up round. */
	private static final int WARM_UP_MESSAGES = 10_000;

	/** How many times a warm-up round posts each of its messages. */
	private static final int WARM_UP_COPIES = 4;

	/** The C2 compiler thread's name as Linux keeps it (15 characters). */
	private static final String C2_THREAD = "C2 CompilerThre";

	private Benchmark() {
	}

	public static void main(String[] args) throws Exception {
		int seconds = (args.length > 0) ? Integer.parseInt(args[0]) : 60;
		int highRate = (args.length > 1) ? Integer.parseInt(args[1]) : 5000;
		int lowRate = (args.length > 2) ? Integer.parseInt(args[2]) : 1000;
		Path home = Path.of(System.getProperty("switchboard.home", "")).toAbsolutePath();
		Path work = home.resolve("benchmark/target/benchmark-run");
		String table = run(home, work, seconds, highRate, lowRate);
		System.out.println(table);
		Files.writeString(home.resolve("benchmark/target/benchmark-results.md"), table);
		System.exit(0);
	}

	static String run(Path home, Path work, int seconds, int highRate, int lowRate) throws Exception {
		List<String> jvmOptions = List
			.of(System.getProperty("switchboard.jvm-options", String.join(" ", Services.benchmarkJvmOptions()))
				.split(" "));
		boolean privatePostgres = Boolean.parseBoolean(System.getProperty("switchboard.private-postgres", "true"));
		Duration catchUp = Duration.ofSeconds(Math.max(60, 4L * seconds));
		try (Harness harness = Harness.start(home, work, privatePostgres, jvmOptions, Duration.ofMillis(500))) {
			Tenant tenant = new Tenant(harness.gateway());
			tenant.setUp(20, 1000);
			Map<String, Long> peakRss = new ConcurrentHashMap<>();
			Thread sampler = Thread.ofPlatform().daemon().name("rss").start(() -> {
				while (!Thread.currentThread().isInterrupted()) {
					harness.residentMiB().forEach((name, mib) -> peakRss.merge(name, mib, Math::max));
					try {
						Thread.sleep(1000);
					}
					catch (InterruptedException ex) {
						return;
					}
				}
			});
			Map<String, String> rows = new LinkedHashMap<>();
			try (OpenLoad load = new OpenLoad(harness.gateway());
					PlatformWatcher watcher = new PlatformWatcher(harness.kafka().bootstrapServers())) {
				long warmedUp = warmUp(harness, load, watcher, lowRate, rows);

				Harness.log("latency stage: " + lowRate + " webhooks/s for " + seconds + " s");
				long before = watcher.persisted();
				Map<String, Duration> lowCpuBefore = harness.cpuTime();
				BatchFigures lowBatchesBefore = BatchFigures.read(harness.services());
				OpenLoad.Result low = load.run(Webhook.messages("11", lowRate * seconds, lowRate * seconds / 10),
						lowRate, (i) -> {
						});
				Map<String, Duration> lowCpuAfter = harness.cpuTime();
				Instant lowStored = awaitStored(watcher, before + low.ok(), catchUp);
				long lowPersisted = watcher.persisted() - before;
				Histogram assigned = awaitAssigned(watcher, low, Duration.ofSeconds(60));
				String lowBatches = BatchFigures.read(harness.services()).since(lowBatchesBefore);
				rows.put("Latency stage", "%d webhooks/s offered for %d s: %d sent, answers %s".formatted(lowRate,
						seconds, low.sent(), low.statuses()));
				rows.put("Webhook ack latency p50 / p99 / p99.9 at " + lowRate + "/s",
						"%.1f / %.1f / %.1f ms (target p99 ≤ 50 ms)".formatted(low.percentileMillis(50),
								low.percentileMillis(99), low.percentileMillis(99.9)));
				rows.put("Ingest-to-assigned p50 / p99 at " + lowRate + "/s",
						"%.0f / %.0f ms over %d conversations (target p99 ≤ 500 ms)".formatted(
								assigned.getValueAtPercentile(50) / 1.0, assigned.getValueAtPercentile(99) / 1.0,
								assigned.getTotalCount()));
				Histogram announced = sinceDue(low, watcher.persistedMillis());
				rows.put("First message persisted p50 / p99 at " + lowRate + "/s",
						"%d / %d ms (the inbox's MessageReceived produced; the rest of ingest-to-assigned is routing's)"
							.formatted(announced.getValueAtPercentile(50), announced.getValueAtPercentile(99)));
				rows.put("Batches at " + lowRate + "/s (batches × records, mean time)", lowBatches);
				rows.put("CPU while the latency stage's webhooks were posted",
						coresUsed(lowCpuBefore, lowCpuAfter, low.elapsedMillis()));
				rows.put("Persisted at " + lowRate + "/s",
						"%.0f messages/s (%s %d stored %s after the load ended)".formatted(
								rate(lowPersisted, low.startMillis(), lowStored),
								(lowPersisted >= low.ok()) ? "all" : "%d of".formatted(lowPersisted), low.ok(),
								after(low, lowStored)));
				// The next stage starts on a drained platform: its figures are its own
				// messages'.
				awaitDrained(watcher, Duration.ofMinutes(5));

				Harness.log("throughput stage: " + highRate + " webhooks/s for " + seconds + " s");
				before = watcher.persisted();
				long assignedBefore = watcher.assignedMillis().size();
				Map<String, Duration> cpuBefore = harness.cpuTime();
				if (harness.postgres().statementsTracked()) {
					harness.postgres().resetStatements(harness.database());
				}
				OpenLoad.Result high = load.run(Webhook.messages("12", highRate * seconds, 10_000), highRate, (i) -> {
				});
				Instant highStored = awaitStored(watcher, before + high.ok(), catchUp);
				Instant highDrained = awaitDrained(watcher, catchUp);
				Map<String, Duration> cpuAfter = harness.cpuTime();
				List<List<String>> statements = harness.postgres().statementsTracked()
						? harness.postgres().statements(harness.database()) : List.of();
				Histogram highAssigned = awaitAssigned(watcher, high, Duration.ofSeconds(60));
				long stored = watcher.persisted() - before;
				rows.put("Throughput stage",
						"%d webhooks/s offered for %d s: %d sent, answers %s, generator done in %.1f s"
							.formatted(highRate, seconds, high.sent(), high.statuses(), high.elapsedMillis() / 1000.0));
				rows.put("Acknowledged webhooks/s", "%.0f".formatted(high.ok() * 1000.0 / high.elapsedMillis()));
				rows.put("Sustained webhook → persisted",
						"%.0f messages/s (%d stored; last %s after the load ended; target ≥ 5,000/s)"
							.formatted(rate(stored, high.startMillis(), highStored), stored, after(high, highStored)));
				rows.put("Sustained webhook → processed by every service",
						"%.0f messages/s (every consumer group caught up %s after the load ended)"
							.formatted(rate(stored, high.startMillis(), highDrained), after(high, highDrained)));
				rows.put("Conversations assigned",
						"%d of %d (p50 / p99 ingest-to-assigned %d / %d ms under this load)".formatted(
								watcher.assignedMillis().size() - assignedBefore, high.firstDueMillis().size(),
								highAssigned.getValueAtPercentile(50), highAssigned.getValueAtPercentile(99)));
				rows.put("CPU per message, throughput stage until every service caught up",
						cpuPerMessage(cpuBefore, cpuAfter, stored));
				if (!statements.isEmpty()) {
					Path report = home.resolve("benchmark/target/postgres-statements.md");
					Files.writeString(report, statementsReport(statements, stored));
					rows.put("PostgreSQL per message, throughput stage until every service caught up",
							statementsPerMessage(statements, stored) + " (by statement: " + home.relativize(report)
									+ ")");
				}
				rows.put("Webhook ack latency p50 / p99 / p99.9 at " + highRate + "/s", "%.1f / %.1f / %.1f ms"
					.formatted(high.percentileMillis(50), high.percentileMillis(99), high.percentileMillis(99.9)));

				int recordSize = ProducerPerf.inboundRecordSize(harness.kafka().bootstrapServers());
				Harness.log("kafka-producer-perf-test: 1,000,000 records of " + recordSize + " bytes");
				ProducerPerf.Summary perf = ProducerPerf.run(harness.kafka().bootstrapServers(), 1_000_000, recordSize,
						work.resolve("producer-perf.log"));
				rows.put("kafka-producer-perf-test (same broker, acks=all)",
						"%.0f records/s, %.2f MB/s, %.1f ms avg, record size %d B".formatted(perf.recordsPerSecond(),
								perf.megabytesPerSecond(), perf.averageLatencyMillis(), recordSize));
				long inDatabase = harness.postgres()
					.number(harness.database(), "SELECT count(*) FROM inbox.message WHERE direction = 'INBOUND'");
				rows.put("Inbound messages: in the database / announced as persisted / acknowledged",
						"%d / %d / %d".formatted(inDatabase, watcher.persisted(), warmedUp + low.ok() + high.ok()));
				rows.put("Platform / raw Kafka", "%.2f %%"
					.formatted(100.0 * rate(stored, high.startMillis(), highStored) / perf.recordsPerSecond()));
			}
			sampler.interrupt();
			peakRss.forEach((name, mib) -> rows.put("Peak RSS " + name,
					mib + " MiB" + (name.endsWith("-service") ? " (target ≤ 384 MiB)" : "")));
			return table(rows);
		}
	}

	/**
	 * Loads the platform until the gateway's JIT is done, measuring nothing. C2 compiles
	 * a method only after thousands of calls, and later when its one compiler thread is
	 * behind: after a warm-up of 20,000 webhooks, and even of 40,000, the gateway's C2
	 * thread still took 0.25-0.4 of a core in the latency stage, with hundreds of methods
	 * of the webhook path (the Kafka producer's among them) reaching C2 only then. Each
	 * round posts 10,000 new messages four times each (as Meta's retries would; the inbox
	 * drops the copies by wamid, so the consumers drain only a quarter of it) at twice
	 * the latency rate; rounds go on until the C2 thread used under 5 % of a core, at
	 * most {@value #WARM_UP_ROUNDS} of them.
	 * @return the messages acknowledged (and persisted) in the warm-up
	 */
	private static long warmUp(Harness harness, OpenLoad load, PlatformWatcher watcher, int lowRate,
			Map<String, String> rows) {
		long gateway = harness.services().pid("gateway-service");
		int rate = 2 * lowRate;
		long acked = 0;
		double compiler = 1;
		int round = 0;
		while (round < WARM_UP_ROUNDS && compiler >= 0.05) {
			round++;
			List<Webhook> distinct = Webhook.messages("2" + round, WARM_UP_MESSAGES, WARM_UP_MESSAGES / 20);
			List<Webhook> posts = new ArrayList<>();
			for (int copy = 0; copy < WARM_UP_COPIES; copy++) {
				posts.addAll(distinct);
			}
			Harness.log("warm-up round " + round + ": " + posts.size() + " webhooks at " + rate + "/s");
			Duration before = Processes.threadCpuTime(gateway, C2_THREAD);
			OpenLoad.Result result = load.run(posts, rate, (i) -> {
			});
			compiler = Processes.threadCpuTime(gateway, C2_THREAD).minus(before).toMillis()
					/ (double) Math.max(1, result.elapsedMillis());
			acked += result.ackedWamids().size();
		}
		awaitStored(watcher, acked, Duration.ofMinutes(5));
		awaitDrained(watcher, Duration.ofMinutes(5));
		rows.put("Warm-up (not measured)", String.format(Locale.ROOT,
				"%d rounds of %,d webhooks at %d/s (%,d messages each, %d times); the gateway's C2 compiler used %.2f cores in the last; all processed by every service before the stages",
				round, WARM_UP_MESSAGES * WARM_UP_COPIES, rate, WARM_UP_MESSAGES, WARM_UP_COPIES, compiler));
		return acked;
	}

	/**
	 * Where the CPU went from the start of a stage until its last message was stored, per
	 * message stored: which process to make cheaper.
	 */
	static String cpuPerMessage(Map<String, Duration> before, Map<String, Duration> after, long messages) {
		return perProcess(before, after, Math.max(1, messages), "total %.2f ms");
	}

	/**
	 * How many cores each process used over an interval: whether the webhook path had the
	 * CPU it needed while the consumers worked through their backlog.
	 */
	static String coresUsed(Map<String, Duration> before, Map<String, Duration> after, long elapsedMillis) {
		return perProcess(before, after, Math.max(1, elapsedMillis), "total %.2f cores");
	}

	/** Each process's CPU milliseconds over the interval divided by {@code divisor}. */
	private static String perProcess(Map<String, Duration> before, Map<String, Duration> after, long divisor,
			String totalFormat) {
		StringBuilder text = new StringBuilder();
		double total = 0;
		for (Map.Entry<String, Duration> entry : after.entrySet()) {
			Duration used = entry.getValue().minus(before.getOrDefault(entry.getKey(), Duration.ZERO));
			double share = used.toNanos() / 1e6 / divisor;
			total += share;
			text.append(entry.getKey().replace("-service", "")).append(String.format(Locale.ROOT, " %.2f, ", share));
		}
		return text.append(String.format(Locale.ROOT, totalFormat, total)).toString();
	}

	static String statementsPerMessage(List<List<String>> statements, long messages) {
		long calls = statements.stream().mapToLong((row) -> Long.parseLong(row.get(0))).sum();
		double millis = statements.stream().mapToDouble((row) -> Double.parseDouble(row.get(1))).sum();
		return String.format(Locale.ROOT, "%.1f statements, %.2f ms executing", calls / (double) Math.max(1, messages),
				millis / Math.max(1, messages));
	}

	static String statementsReport(List<List<String>> statements, long messages) {
		StringBuilder text = new StringBuilder("# PostgreSQL statements of the throughput stage\n\n").append(messages)
			.append(" messages persisted; ")
			.append(statementsPerMessage(statements, messages))
			.append(" per message (pg_stat_statements, execution only: no parsing, planning or round trip).\n\n")
			.append("| calls | per message | total ms | mean ms | rows | statement |\n|---|---|---|---|---|---|\n");
		for (List<String> row : statements) {
			text.append(String.format(Locale.ROOT, "| %s | %.2f | %s | %s | %s | `%s` |%n", row.get(0),
					Long.parseLong(row.get(0)) / (double) Math.max(1, messages), row.get(1), row.get(2), row.get(3),
					row.get(4).replace("|", "\\|")));
		}
		return text.toString();
	}

	private static String after(OpenLoad.Result result, Instant stored) {
		long ms = stored.toEpochMilli() - (result.startMillis() + result.elapsedMillis());
		return "%.1f s".formatted(Math.max(0, ms) / 1000.0);
	}

	private static double rate(long count, long startMillis, Instant end) {
		return count * 1000.0 / Math.max(1, end.toEpochMilli() - startMillis);
	}

	/**
	 * Waits until {@code expected} inbound messages are stored; returns when they were.
	 */
	private static Instant awaitStored(PlatformWatcher watcher, long expected, Duration timeout) {
		Instant deadline = Instant.now().plus(timeout);
		while (watcher.persisted() < expected && Instant.now().isBefore(deadline)) {
			Processes.sleep(100);
		}
		return Instant.now();
	}

	/**
	 * Waits until every service's consumer groups have processed every record (no lag in
	 * two looks a quarter of a second apart: an outbox relay publishes what a consumer
	 * committed right after the commit); returns when they had.
	 */
	private static Instant awaitDrained(PlatformWatcher watcher, Duration timeout) {
		Instant deadline = Instant.now().plus(timeout);
		Instant drained = null;
		while (Instant.now().isBefore(deadline)) {
			if (watcher.lag() > 0) {
				drained = null;
			}
			else if (drained == null) {
				drained = Instant.now();
			}
			else {
				return drained;
			}
			Processes.sleep(250);
		}
		Harness.log("consumers still behind after " + timeout.toSeconds() + " s: " + watcher.lag() + " records");
		return Instant.now();
	}

	private static Histogram awaitAssigned(PlatformWatcher watcher, OpenLoad.Result result, Duration timeout) {
		Instant deadline = Instant.now().plus(timeout);
		while (!watcher.assignedMillis().keySet().containsAll(result.firstDueMillis().keySet())
				&& Instant.now().isBefore(deadline)) {
			Processes.sleep(200);
		}
		return sinceDue(result, watcher.assignedMillis());
	}

	/**
	 * How long after its first message was due each conversation of a stage reached a
	 * step.
	 * @param result the stage
	 * @param reached per conversation, when it reached the step (epoch ms)
	 * @return the latencies in ms
	 */
	private static Histogram sinceDue(OpenLoad.Result result, Map<String, Long> reached) {
		Histogram histogram = new Histogram(3);
		result.firstDueMillis().forEach((conversation, due) -> {
			Long at = reached.get(conversation);
			if (at != null) {
				histogram.recordValue(Math.max(0, at - due));
			}
		});
		return histogram;
	}

	static String table(Map<String, String> rows) {
		StringBuilder text = new StringBuilder();
		text.append("\nSwitchboard benchmark, ").append(Instant.now()).append('\n');
		text.append("Machine: ")
			.append(Runtime.getRuntime().availableProcessors())
			.append(" cores, ")
			.append(System.getProperty("os.name"))
			.append(' ')
			.append(System.getProperty("os.arch"))
			.append(", JDK ")
			.append(System.getProperty("java.version"))
			.append("\n\n");
		int width = rows.keySet().stream().mapToInt(String::length).max().orElse(10);
		text.append(String.format(Locale.ROOT, "| %-" + width + "s | %s%n", "Measure", "Figure"));
		text.append("|").append("-".repeat(width + 2)).append("|").append("-".repeat(60)).append('\n');
		rows.forEach(
				(name, figure) -> text.append(String.format(Locale.ROOT, "| %-" + width + "s | %s%n", name, figure)));
		return text.toString();
	}

	static List<String> names(Map<String, String> rows) {
		return new ArrayList<>(rows.keySet());
	}

}

package dev.switchboard.benchmark;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The five services as child processes, each {@code java -jar} of its module's jar with
 * the same JVM options and environment as the local start, which can be killed (SIGKILL)
 * and started again on the same port. With several replicas, replica {@code n > 1} of a
 * service is the instance {@code <service>-<n>} ({@code inbox-service-2}) on ports of its
 * own, and gateway {@code n} routes to replica {@code n} of each service, as a load
 * balancer would spread the calls.
 */
final class Services implements AutoCloseable {

	static final List<String> NAMES = List.of("gateway-service", "inbox-service", "routing-service", "audit-service",
			"billing-service");

	private final Path home;

	private final Path logs;

	private final Map<String, Integer> ports = new LinkedHashMap<>();

	private final Map<String, Integer> managementPorts = new LinkedHashMap<>();

	private final Map<String, Process> processes = new LinkedHashMap<>();

	private final Map<String, String> common;

	private final List<String> jvmOptions;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

	private final int replicas;

	Services(Path home, Path logs, Map<String, String> common, List<String> jvmOptions, int gatewayPort) {
		this(home, logs, common, jvmOptions, gatewayPort, 1);
	}

	Services(Path home, Path logs, Map<String, String> common, List<String> jvmOptions, int gatewayPort, int replicas) {
		this.home = home;
		this.logs = logs;
		this.common = common;
		this.jvmOptions = jvmOptions;
		this.replicas = replicas;
		for (String instance : instances()) {
			this.ports.put(instance, instance.equals("gateway-service") ? gatewayPort : Processes.freePort());
			this.managementPorts.put(instance, Processes.freePort());
		}
	}

	/**
	 * @return every running instance's name: each service's, then its further replicas'
	 */
	List<String> instances() {
		List<String> instances = new java.util.ArrayList<>();
		for (String name : NAMES) {
			for (int n = 1; n <= this.replicas; n++) {
				instances.add(replica(name, n));
			}
		}
		return instances;
	}

	/**
	 * @param service a service
	 * @param n which replica, from 1
	 * @return the instance's name
	 */
	static String replica(String service, int n) {
		return (n == 1) ? service : service + "-" + n;
	}

	/**
	 * @param instance an instance's name
	 * @return the service it is a replica of
	 */
	static String serviceOf(String instance) {
		return instance.replaceFirst("-service-\\d+$", "-service");
	}

	private static int replicaOf(String instance) {
		return instance.equals(serviceOf(instance)) ? 1
				: Integer.parseInt(instance.substring(instance.lastIndexOf('-') + 1));
	}

	/**
	 * The JVM options of the local start ({@code Platform}): quick to start (C1 only),
	 * for the tests and the fault suite, which restart services.
	 */
	static List<String> localJvmOptions() {
		return List.of("-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
	}

	/**
	 * The JVM options the benchmark measures with: the images' JIT (C1 and C2, as in
	 * production), sized for the 384 MiB resident target. Native memory tracking showed
	 * about 250 MiB outside the heap in every service (metaspace ~90 MiB, code cache ~40
	 * MiB, symbols, class space, threads, the C2 arena, malloc) and the heap grown to its
	 * maximum under load, so the heap is capped at 128 MiB and the code cache at 48 MiB.
	 * The C library's heap is trimmed every second, so that what the JIT compilers'
	 * arenas freed is given back instead of staying resident.
	 */
	static List<String> benchmarkJvmOptions() {
		return List.of("-Xms64m", "-Xmx128m", "-XX:+UseSerialGC", "-XX:ReservedCodeCacheSize=48m",
				"-XX:MaxMetaspaceSize=128m", "-XX:TrimNativeHeapInterval=1000");
	}

	void startAll(Duration timeout) throws IOException {
		for (String instance : instances()) {
			launch(instance);
		}
		for (String instance : instances()) {
			awaitReady(instance, timeout);
		}
	}

	/**
	 * Kills a service with SIGKILL: no shutdown hook, no graceful stop.
	 * @param name the service
	 */
	void kill(String name) {
		Process process = this.processes.get(name);
		process.destroyForcibly();
		try {
			process.waitFor();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Stops a service with SIGTERM, as an orchestrator does, and waits for it to exit.
	 * @param name the service
	 * @param timeout how long its graceful shutdown may take
	 * @return how long it took to exit
	 * @throws IOException if it is still running after the timeout (it is then killed)
	 */
	Duration stop(String name, Duration timeout) throws IOException {
		Process process = this.processes.get(name);
		Instant start = Instant.now();
		process.destroy();
		try {
			if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
				kill(name);
				throw new IOException(name + " did not exit within " + timeout + " of SIGTERM");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException(ex);
		}
		return Duration.between(start, Instant.now());
	}

	void start(String name, Duration timeout) throws IOException {
		launch(name);
		awaitReady(name, timeout);
	}

	String url(String name) {
		return "http://127.0.0.1:" + this.ports.get(name);
	}

	/** Where a service's actuator (health, metrics) answers: its management port. */
	String managementUrl(String name) {
		return "http://127.0.0.1:" + this.managementPorts.get(name);
	}

	long pid(String name) {
		return this.processes.get(name).pid();
	}

	private void launch(String instance) throws IOException {
		String name = serviceOf(instance);
		Path jar = this.logs.resolveSibling("jars").resolve(name + ".jar");
		if (!Files.isRegularFile(jar)) {
			// a copy: a build running meanwhile may rewrite the module's jar under a
			// running service
			Path built = this.home.resolve(name).resolve("target").resolve(name + ".jar");
			if (!Files.isRegularFile(built)) {
				throw new IOException(built + " is missing: build first with ./mvnw -DskipTests install");
			}
			Files.createDirectories(jar.getParent());
			Files.copy(built, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
		}
		Files.createDirectories(this.logs);
		List<String> command = new java.util.ArrayList<>(Processes.priority(name));
		command.add(Processes.java());
		command.addAll(this.jvmOptions);
		command.add("-jar");
		command.add(jar.toString());
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.logs.resolve(instance + ".log").toFile()));
		builder.environment().putAll(environment(instance));
		this.processes.put(instance, builder.start());
	}

	private Map<String, String> environment(String instance) {
		String name = serviceOf(instance);
		Map<String, String> env = new LinkedHashMap<>(this.common);
		// Two malloc arenas instead of eight per core: less resident memory outside the
		// JVM's own accounting, for services that allocate natively from few threads.
		env.put("MALLOC_ARENA_MAX", "2");
		env.put("SERVER_PORT", Integer.toString(this.ports.get(instance)));
		env.put("SERVER_ADDRESS", "127.0.0.1");
		env.put("MANAGEMENT_SERVER_PORT", Integer.toString(this.managementPorts.get(instance)));
		env.put("MANAGEMENT_SERVER_ADDRESS", "127.0.0.1");
		if (name.equals("gateway-service")) {
			for (String downstream : NAMES) {
				env.put("SWITCHBOARD_SERVICES_" + downstream.replace("-service", "").toUpperCase(Locale.ROOT),
						url(replica(downstream, replicaOf(instance))));
			}
			env.put("SPRING_PROFILES_ACTIVE", "local");
		}
		if (name.equals("audit-service")) {
			env.putIfAbsent("SWITCHBOARD_AUDIT_WITNESS_DIRECTORY",
					this.logs.resolveSibling("witness").toAbsolutePath().toString());
		}
		return env;
	}

	private void awaitReady(String instance, Duration timeout) throws IOException {
		String name = instance;
		Instant deadline = Instant.now().plus(timeout);
		Process process = this.processes.get(name);
		while (!ready(name)) {
			if (!process.isAlive()) {
				throw new IOException(
						name + " exited with " + process.exitValue() + "; see " + this.logs.resolve(name + ".log"));
			}
			if (Instant.now().isAfter(deadline)) {
				throw new IOException(
						name + " was not ready within " + timeout + "; see " + this.logs.resolve(name + ".log"));
			}
			Processes.sleep(250);
		}
		Processes.prioritiseCollector(serviceOf(instance), process.pid());
	}

	/**
	 * Scrapes a running service's metrics once.
	 * @param name the service
	 * @return its Prometheus exposition
	 * @throws IOException if the service does not answer
	 */
	Metrics metrics(String name) throws IOException {
		HttpResponse<String> response;
		try {
			response = this.http.send(HttpRequest.newBuilder(URI.create(managementUrl(name) + "/actuator/prometheus"))
				.timeout(Duration.ofSeconds(10))
				.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException(ex);
		}
		if (response.statusCode() != 200) {
			throw new IOException(name + " answered " + response.statusCode() + " for its metrics");
		}
		return new Metrics(response.body());
	}

	/**
	 * One scrape of a service's metrics.
	 *
	 * @param exposition the Prometheus text
	 */
	record Metrics(String exposition) {

		/**
		 * Every series of a metric.
		 * @param metric the metric's name in the Prometheus exposition
		 * @return each series' value by its labels ({@code {application="...",...}})
		 */
		Map<String, Double> series(String metric) {
			Map<String, Double> series = new LinkedHashMap<>();
			for (String line : this.exposition.split("\n")) {
				if (line.startsWith(metric + "{")) {
					String sample = line.contains(" # ") ? line.substring(0, line.indexOf(" # ")) : line;
					series.merge(sample.substring(metric.length(), sample.lastIndexOf('}') + 1),
							Double.parseDouble(sample.substring(sample.lastIndexOf(' ') + 1)), Double::sum);
				}
			}
			return series;
		}

		/**
		 * Sums a counter over the series whose labels contain the given text.
		 * @param metric the metric's name in the Prometheus exposition
		 * @param labels text the series' labels must contain (e.g.
		 * {@code outcome="duplicate"})
		 * @return the sum, 0 when no series matches
		 */
		double counter(String metric, String labels) {
			return series(metric).entrySet()
				.stream()
				.filter((series) -> series.getKey().contains(labels))
				.mapToDouble(Map.Entry::getValue)
				.sum();
		}

	}

	boolean ready(String name) {
		try {
			return this.http
				.send(HttpRequest.newBuilder(URI.create(managementUrl(name) + "/actuator/health/readiness"))
					.timeout(Duration.ofSeconds(2))
					.build(), HttpResponse.BodyHandlers.discarding())
				.statusCode() == 200;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		this.processes.values().forEach(Process::destroy);
		this.processes.values().forEach((process) -> Processes.stop(process, 20));
	}

}

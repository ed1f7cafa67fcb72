package dev.switchboard.benchmark;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.switchboard.sandbox.WhatsAppSandbox;

/**
 * The whole platform for one run, as the local start runs it: a real Kafka broker, a
 * fresh PostgreSQL database, the WhatsApp sandbox and the five services as child
 * processes.
 */
final class Harness implements AutoCloseable {

	static final String TENANT = "demo";

	static final String PHONE_NUMBER_ID = "106540352242922";

	static final String APP_SECRET = "demo-app-secret";

	/** Agents the identity provider knows ({@code agent-001} ...), each with a token. */
	static final int MAX_AGENTS = 50;

	private final Path work;

	private final Postgres postgres;

	private final String database;

	private final KafkaBroker kafka;

	private final WhatsAppSandbox sandbox;

	private final Services services;

	private final IdentityProvider identity;

	private final List<GatewayClient> gateways;

	private final Set<Long> prioritised = new HashSet<>();

	private final ScheduledExecutorService priorities = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "backend-priorities");
		thread.setDaemon(true);
		return thread;
	});

	private Harness(Path work, Postgres postgres, String database, KafkaBroker kafka, WhatsAppSandbox sandbox,
			IdentityProvider identity, Services services) {
		this.work = work;
		this.postgres = postgres;
		this.database = database;
		this.kafka = kafka;
		this.sandbox = sandbox;
		this.identity = identity;
		this.services = services;
		this.gateways = services.instances()
			.stream()
			.filter((instance) -> Services.serviceOf(instance).equals("gateway-service"))
			.map((gateway) -> new GatewayClient(services.url(gateway), identity.issuer(),
					IdentityProvider.CLIENT_SECRET))
			.toList();
		if (postgres.restartable()) {
			this.priorities.scheduleWithFixedDelay(this::prioritiseBackends, 0, 1, TimeUnit.SECONDS);
		}
	}

	/**
	 * Gives each PostgreSQL backend the CPU priority of the service it serves (known by
	 * its connections' {@code application_name}): the server runs at the consumers'
	 * priority, and the statements audit and billing run would otherwise take the CPU the
	 * inbox and routing need as much as those services themselves did before they were
	 * given the lowest priority. Backends are pooled, so a sweep a second finds new ones
	 * (after a restart of the server or a service) soon.
	 */
	private void prioritiseBackends() {
		try {
			Map<Integer, List<Long>> byNice = new HashMap<>();
			for (List<String> row : this.postgres.rows(this.database, """
					SELECT pid, application_name FROM pg_stat_activity
					WHERE datname = current_database() AND backend_type = 'client backend'""")) {
				long pid = Long.parseLong(row.get(0));
				String service = row.get(1);
				int nice = Processes.niceness(service);
				if (Services.NAMES.contains(service) && nice != Processes.niceness("postgresql")
						&& this.prioritised.add(pid)) {
					byNice.computeIfAbsent(nice, (key) -> new ArrayList<>()).add(pid);
				}
			}
			byNice.forEach(Processes::renice);
		}
		catch (RuntimeException ex) {
			// the server is restarting (fault suite): the next sweep finds the new
			// backends
		}
	}

	/**
	 * Starts everything.
	 * @param home the repository root
	 * @param work where this run's logs, broker and database files go
	 * @param privatePostgres whether to run a private PostgreSQL cluster (restartable)
	 * @param jvmOptions the services' JVM options
	 * @param tick the sandbox's delay between a send and each status
	 * @return the running harness
	 * @throws IOException if something does not start
	 */
	static Harness start(Path home, Path work, boolean privatePostgres, List<String> jvmOptions, Duration tick)
			throws IOException {
		return start(home, work, privatePostgres, jvmOptions, tick, 1, Map.of());
	}

	/**
	 * Starts everything, each service as several replicas.
	 * @param home the repository root
	 * @param work where this run's logs, broker and database files go
	 * @param privatePostgres whether to run a private PostgreSQL cluster (restartable)
	 * @param jvmOptions the services' JVM options
	 * @param tick the sandbox's delay between a send and each status
	 * @param replicas instances of every service (gateway included), one broker and one
	 * database for all
	 * @param settings further environment of every service (e.g. a lower send cap)
	 * @return the running harness
	 * @throws IOException if something does not start
	 */
	static Harness start(Path home, Path work, boolean privatePostgres, List<String> jvmOptions, Duration tick,
			int replicas, Map<String, String> settings) throws IOException {
		// A run starts from nothing: an earlier run's broker data would not match the new
		// cluster id, and its copies of the jars would be the old build.
		deleteRecursively(work);
		Postgres postgres = privatePostgres ? Postgres.privateOrExisting(work.resolve("postgres"))
				: Postgres.existing();
		String database = "switchboard_bench_" + Long.toString(System.currentTimeMillis(), 36);
		KafkaBroker kafka = null;
		WhatsAppSandbox sandbox = null;
		IdentityProvider identity = null;
		Services services = null;
		try {
			postgres.createDatabase(database);
			log("PostgreSQL " + postgres.host() + ":" + postgres.port() + "/" + database
					+ (postgres.restartable() ? " (private cluster of this run)" : ""));
			kafka = KafkaBroker.start(work.resolve("kafka"));
			log("Kafka " + kafka.bootstrapServers() + " (child JVM, pid " + kafka.pid() + ")");
			List<String[]> users = new ArrayList<>();
			users.add(new String[] { "bench-owner", "OWNER" });
			for (int i = 1; i <= MAX_AGENTS; i++) {
				users.add(new String[] { "agent-%03d".formatted(i), "AGENT" });
			}
			identity = IdentityProvider.start(home, work, TENANT, users, Duration.ofSeconds(120));
			log("identity provider " + identity.issuer());
			int gatewayPort = Processes.freePort();
			String graphToken = random();
			sandbox = WhatsAppSandbox.start(new WhatsAppSandbox.Settings(0, graphToken,
					URI.create("http://127.0.0.1:" + gatewayPort + "/webhooks/whatsapp"), APP_SECRET, PHONE_NUMBER_ID,
					tick));
			Map<String, String> env = new LinkedHashMap<>();
			env.put("SPRING_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
			env.put("SWITCHBOARD_DB_HOST", postgres.host());
			env.put("SWITCHBOARD_DB_PORT", Integer.toString(postgres.port()));
			env.put("SWITCHBOARD_DB_NAME", database);
			env.put("SWITCHBOARD_DB_USERNAME", postgres.username());
			env.put("SWITCHBOARD_DB_PASSWORD", postgres.password());
			env.put("SWITCHBOARD_WHATSAPP_GRAPH_BASE_URL", sandbox.url());
			env.put("SWITCHBOARD_WHATSAPP_ACCESS_TOKEN", graphToken);
			env.put("SWITCHBOARD_SECURITY_JWT_ISSUER_URI", identity.issuer());
			env.put("SWITCHBOARD_GATEWAY_TENANTS_0_ID", TENANT);
			env.put("SWITCHBOARD_GATEWAY_TENANTS_0_PHONE_NUMBER_ID", PHONE_NUMBER_ID);
			env.put("SWITCHBOARD_GATEWAY_TENANTS_0_APP_SECRET", APP_SECRET);
			env.put("SWITCHBOARD_GATEWAY_TENANTS_0_VERIFY_TOKEN", "demo-verify-token");
			// Secrets that inbox and audit refuse to start without; one database per run,
			// so
			// one key per run.
			byte[] masterKey = new byte[32];
			new SecureRandom().nextBytes(masterKey);
			env.put("SWITCHBOARD_MASTER_KEY", Base64.getEncoder().encodeToString(masterKey));
			env.put("SWITCHBOARD_AUDIT_SIGNING_KEY", Base64.getEncoder()
				.encodeToString(KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate().getEncoded()));
			IdentityKeys identityKeys = IdentityKeys.generate();
			env.put("SWITCHBOARD_IDENTITY_SIGNING_KEY", identityKeys.signingKey());
			env.put("SWITCHBOARD_IDENTITY_JWKS", identityKeys.jwks());
			env.putAll(settings);
			services = new Services(home, work.resolve("logs"), env, jvmOptions, gatewayPort, replicas);
			services.startAll(Duration.ofSeconds(240));
			log("services up, logs in " + work.resolve("logs"));
			return new Harness(work, postgres, database, kafka, sandbox, identity, services);
		}
		catch (IOException | SQLException | GeneralSecurityException | RuntimeException ex) {
			if (services != null) {
				services.close();
			}
			if (sandbox != null) {
				sandbox.close();
			}
			if (identity != null) {
				identity.close();
			}
			if (kafka != null) {
				kafka.close();
			}
			postgres.dropDatabase(database);
			postgres.close();
			throw (ex instanceof IOException io) ? io : new IOException(ex.getMessage(), ex);
		}
	}

	Postgres postgres() {
		return this.postgres;
	}

	String database() {
		return this.database;
	}

	KafkaBroker kafka() {
		return this.kafka;
	}

	WhatsAppSandbox sandbox() {
		return this.sandbox;
	}

	Services services() {
		return this.services;
	}

	/** The first gateway, to which the sandbox posts its statuses. */
	GatewayClient gateway() {
		return this.gateways.getFirst();
	}

	/** Every gateway replica. */
	List<GatewayClient> gateways() {
		return this.gateways;
	}

	Path work() {
		return this.work;
	}

	/**
	 * @return VmRSS per service (and the broker) in MiB
	 */
	Map<String, Long> residentMiB() {
		Map<String, Long> rss = new LinkedHashMap<>();
		for (String name : Services.NAMES) {
			rss.put(name, Processes.residentBytes(this.services.pid(name)) / (1024 * 1024));
		}
		rss.put("kafka broker", Processes.residentBytes(this.kafka.pid()) / (1024 * 1024));
		return rss;
	}

	/**
	 * @return CPU time used so far by each service, the broker, PostgreSQL (the
	 * postmaster and its live backends, when the harness started it) and this JVM (the
	 * load generator)
	 */
	Map<String, Duration> cpuTime() {
		Map<String, Duration> cpu = new LinkedHashMap<>();
		for (String name : Services.NAMES) {
			cpu.put(name, Processes.cpuTime(this.services.pid(name), false));
		}
		cpu.put("kafka broker", Processes.cpuTime(this.kafka.pid(), false));
		long postmaster = this.postgres.pid();
		if (postmaster > 0) {
			cpu.put("postgresql", Processes.cpuTime(postmaster, true));
		}
		cpu.put("load generator", Processes.cpuTime(ProcessHandle.current().pid(), false));
		return cpu;
	}

	@Override
	public void close() {
		this.priorities.shutdownNow();
		this.services.close();
		this.identity.close();
		this.sandbox.close();
		this.kafka.close();
		this.postgres.dropDatabase(this.database);
		this.postgres.close();
	}

	static void log(String message) {
		System.out.printf(Locale.ROOT, "[%tT] %s%n", System.currentTimeMillis(), message);
	}

	private static String random() {
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
	}

	private static void deleteRecursively(Path directory) throws IOException {
		if (!Files.exists(directory)) {
			return;
		}
		try (java.util.stream.Stream<Path> paths = Files.walk(directory)) {
			for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
				Files.delete(path);
			}
		}
	}

}

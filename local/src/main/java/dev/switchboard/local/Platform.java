package dev.switchboard.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The five services and the console as child processes of this JVM, each
 * {@code java -jar} of its own module's jar, pointed at one Kafka broker and one
 * PostgreSQL database (a schema per service), and the local OpenID Connect provider
 * ({@link IdentityProvider}) whose tokens the gateway verifies.
 */
public final class Platform implements AutoCloseable {

	/** The console's module and process name. */
	public static final String CONSOLE = "console";

	private final List<Process> processes = new ArrayList<>();

	private final Settings settings;

	private final IdentityKey identityKey = IdentityKey.generate();

	/**
	 * Per service, the whole environment it gets instead of the local start's; or none.
	 */
	private final Map<String, Map<String, String>> deployed;

	private Platform(Settings settings, Map<String, Map<String, String>> deployed) {
		this.settings = settings;
		this.deployed = deployed;
	}

	/**
	 * Starts every service and waits until each is ready.
	 * @param settings where the jars, the broker and the database are
	 * @return the running platform
	 * @throws IOException if a service cannot be started
	 */
	public static Platform start(Settings settings) throws IOException {
		return start(settings, Map.of());
	}

	/**
	 * Starts every service with exactly the environment a deployment file gives it:
	 * nothing inherited from this JVM and nothing added (no ports, keys or addresses of
	 * the local start), so that a variable the file lacks is lacking. The identity
	 * provider starts as in {@link #start(Settings)}, with
	 * {@link Settings#environment()}.
	 * @param settings where the jars are, the services' ports, the provider's port
	 * @param environments each service's whole environment, by service name
	 * @return the running platform
	 * @throws IOException if a service cannot be started or does not become ready
	 */
	public static Platform deployed(Settings settings, Map<String, Map<String, String>> environments)
			throws IOException {
		for (Service service : settings.services()) {
			if (!environments.containsKey(service.name())) {
				throw new IllegalArgumentException("No environment for " + service.name());
			}
		}
		return start(settings, Map.copyOf(environments));
	}

	private static Platform start(Settings settings, Map<String, Map<String, String>> deployed) throws IOException {
		Platform platform = new Platform(settings, deployed);
		try {
			for (Service service : settings.services()) {
				platform.launch(service);
			}
			// Last, so that the services' processes keep their indexes.
			platform.launch(settings.identityProvider());
			platform.awaitReady(settings.startupTimeout());
			return platform;
		}
		catch (IOException | RuntimeException ex) {
			platform.close();
			throw ex;
		}
	}

	/** The local OpenID Connect provider's issuer, where tokens come from. */
	public String issuer() {
		return this.settings.issuer();
	}

	public Service service(String name) {
		return this.settings.services()
			.stream()
			.filter((service) -> service.name().equals(name))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("No service " + name));
	}

	private void launch(Service service) throws IOException {
		Path jar = this.settings.home().resolve(service.name()).resolve("target").resolve(service.name() + ".jar");
		if (!Files.isRegularFile(jar)) {
			throw new IOException(jar + " is missing: build first with ./mvnw -DskipTests package");
		}
		Files.createDirectories(this.settings.logs());
		String java = ProcessHandle.current().info().command().orElse("java");
		List<String> command = new ArrayList<>();
		Path nice = Path.of("/usr/bin/nice");
		if (!service.name().equals("gateway-service") && Files.isExecutable(nice)) {
			// The webhook path first, then the assignment path (inbox, routing), then the
			// records (audit, billing): on one machine the event consumers yield the CPU
			// to the gateway (and the broker), so Meta's webhooks are acknowledged at
			// once, and the consumers catch up on what Kafka holds for them.
			boolean records = service.name().equals("audit-service") || service.name().equals("billing-service");
			command.addAll(List.of(nice.toString(), "-n", records ? "19" : "10"));
		}
		command.addAll(List.of(java, "-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar",
				jar.toString()));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(this.settings.logs().resolve(service.name() + ".log").toFile());
		Map<String, String> deployed = this.deployed.get(service.name());
		if (deployed != null) {
			builder.environment().clear();
			builder.environment().putAll(deployed);
		}
		else {
			builder.environment().putAll(environment(service));
			builder.environment().putAll(this.settings.environment());
		}
		this.processes.add(builder.start());
	}

	Map<String, String> environment(Service service) {
		if (service.name().equals(IdentityProvider.NAME)) {
			return IdentityProvider.environment(service.port(), this.settings.services().getFirst().port());
		}
		Map<String, String> env = new LinkedHashMap<>();
		env.put("SERVER_PORT", Integer.toString(service.port()));
		// Every service and its actuator (on a port of its own) reachable from this
		// machine only.
		env.put("SERVER_ADDRESS", "127.0.0.1");
		env.put("MANAGEMENT_SERVER_PORT", Integer.toString(service.managementPort()));
		env.put("MANAGEMENT_SERVER_ADDRESS", "127.0.0.1");
		env.put("SPRING_KAFKA_BOOTSTRAP_SERVERS", this.settings.kafkaBootstrapServers());
		if (service.name().equals(CONSOLE)) {
			// The console has no database and no internal token: it signs users in at
			// the provider and calls the API through the gateway with their tokens.
			String gateway = this.settings.services().getFirst().url();
			env.put("SWITCHBOARD_CONSOLE_OIDC_ISSUER_URI", this.settings.issuer());
			env.put("SWITCHBOARD_CONSOLE_API_URI", gateway);
			env.put("SWITCHBOARD_CONSOLE_PUBLIC_URI", gateway);
			// The SRE's page reads the gateway's health and metrics on its management
			// port.
			env.put("SWITCHBOARD_CONSOLE_SRE_GATEWAYMANAGEMENTURI",
					this.settings.services().getFirst().managementUrl());
			return env;
		}
		Settings.Database db = this.settings.database();
		env.put("SWITCHBOARD_DB_HOST", db.host());
		env.put("SWITCHBOARD_DB_PORT", Integer.toString(db.port()));
		env.put("SWITCHBOARD_DB_NAME", db.name());
		env.put("SWITCHBOARD_DB_USERNAME", db.username());
		env.put("SWITCHBOARD_DB_PASSWORD", db.password());
		if (service.name().equals("gateway-service")) {
			for (Service downstream : this.settings.services()) {
				String key = downstream.name().replace("-service", "").toUpperCase(java.util.Locale.ROOT);
				env.put("SWITCHBOARD_SERVICES_" + key, "http://127.0.0.1:" + downstream.port());
			}
			env.put("SPRING_PROFILES_ACTIVE", "local");
			env.put("SWITCHBOARD_SECURITY_JWT_ISSUER_URI", this.settings.issuer());
			DemoTenant tenant = this.settings.tenant();
			env.put("SWITCHBOARD_GATEWAY_TENANTS_0_ID", tenant.id());
			env.put("SWITCHBOARD_GATEWAY_TENANTS_0_PHONE_NUMBER_ID", tenant.phoneNumberId());
			env.put("SWITCHBOARD_GATEWAY_TENANTS_0_APP_SECRET", tenant.appSecret());
			env.put("SWITCHBOARD_GATEWAY_TENANTS_0_VERIFY_TOKEN", tenant.verifyToken());
			env.put("SWITCHBOARD_GATEWAY_TENANTS_0_WABA_ID", tenant.wabaId());
		}
		if (service.name().equals("gateway-service")) {
			env.put("SWITCHBOARD_IDENTITY_SIGNING_KEY", this.identityKey.signingKey());
		}
		else {
			// The services believe only the gateway's tokens.
			env.put("SWITCHBOARD_IDENTITY_JWKS", this.identityKey.jwks());
		}
		if (service.name().equals("audit-service")
				&& !this.settings.environment().containsKey("SWITCHBOARD_AUDIT_SIGNING_KEY")) {
			try {
				env.put("SWITCHBOARD_AUDIT_SIGNING_KEY", LocalSigningKey.of(db));
			}
			catch (java.sql.SQLException ex) {
				throw new IllegalStateException("The local audit signing key could not be read or stored", ex);
			}
		}
		if (service.name().equals("audit-service")
				&& !this.settings.environment().containsKey("SWITCHBOARD_AUDIT_WITNESS_DIRECTORY")) {
			// Checkpoints of the audit log outside PostgreSQL, beside the logs
			// (.local/witness
			// for ./start-local), one directory per database: a new database is a new
			// log.
			env.put("SWITCHBOARD_AUDIT_WITNESS_DIRECTORY",
					this.settings.logs().resolveSibling("witness").resolve(db.name()).toAbsolutePath().toString());
		}
		if ((service.name().equals("inbox-service") || service.name().equals("audit-service"))
				&& !this.settings.environment().containsKey("SWITCHBOARD_MASTER_KEY")) {
			try {
				env.put("SWITCHBOARD_MASTER_KEY", LocalMasterKey.of(db));
			}
			catch (java.sql.SQLException ex) {
				throw new IllegalStateException("The local master key could not be read or stored", ex);
			}
		}
		return env;
	}

	private void awaitReady(Duration timeout) throws IOException {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
		Instant started = Instant.now();
		Instant deadline = started.plus(timeout);
		for (int i = 0; i < this.settings.services().size(); i++) {
			Service service = this.settings.services().get(i);
			Process process = this.processes.get(i);
			while (!isReady(http, service)) {
				if (!process.isAlive()) {
					throw new IOException(service.name() + " exited with " + process.exitValue() + "; see "
							+ this.settings.logs().resolve(service.name() + ".log"));
				}
				if (Instant.now().isAfter(deadline)) {
					throw new IOException(service.name() + " was not ready within " + timeout + "; see "
							+ this.settings.logs().resolve(service.name() + ".log"));
				}
				pause();
			}
			printReady(service.name(), started);
		}
		Process identity = this.processes.getLast();
		while (!IdentityProvider.isReady(http, this.settings.issuer())) {
			if (!identity.isAlive() || Instant.now().isAfter(deadline)) {
				throw new IOException(IdentityProvider.NAME + " did not serve its discovery document; see "
						+ this.settings.logs().resolve(IdentityProvider.NAME + ".log"));
			}
			pause();
		}
		printReady(IdentityProvider.NAME, started);
	}

	// Progress for the person waiting at ./start-local: each service as it becomes ready.
	private static void printReady(String name, Instant started) {
		System.out.printf("  %-18s ready (%d s)%n", name, Duration.between(started, Instant.now()).toSeconds());
	}

	private static boolean isReady(HttpClient http, Service service) {
		try {
			HttpResponse<Void> response = http
				.send(HttpRequest.newBuilder(URI.create(service.managementUrl() + "/actuator/health/readiness"))
					.timeout(Duration.ofSeconds(2))
					.build(), HttpResponse.BodyHandlers.discarding());
			return response.statusCode() == 200;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static void pause() {
		try {
			TimeUnit.MILLISECONDS.sleep(250);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Stops every service gracefully (SIGTERM), forcibly after 20 seconds. */
	@Override
	public void close() {
		this.processes.forEach(Process::destroy);
		for (Process process : this.processes) {
			try {
				if (!process.waitFor(20, TimeUnit.SECONDS)) {
					process.destroyForcibly();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				process.destroyForcibly();
			}
		}
	}

	/**
	 * How to start the platform.
	 *
	 * @param home the repository root (the service modules are its directories)
	 * @param logs where each service's output goes
	 * @param kafkaBootstrapServers the broker
	 * @param database the database
	 * @param services the services and their ports, gateway first
	 * @param tenant the tenant the gateway knows
	 * @param startupTimeout how long the services may take to become ready
	 * @param identityPort the port of the local OpenID Connect provider
	 * @param environment more environment variables for every service (e.g. log levels)
	 */
	public record Settings(Path home, Path logs, String kafkaBootstrapServers, Database database,
			List<Service> services, DemoTenant tenant, Duration startupTimeout, int identityPort,
			Map<String, String> environment) {

		/** The local OpenID Connect provider, run like a service. */
		public Service identityProvider() {
			return new Service(IdentityProvider.NAME, this.identityPort);
		}

		/** The provider's issuer: what the gateway verifies tokens against. */
		public String issuer() {
			return IdentityProvider.issuer(this.identityPort);
		}

		/**
		 * A fresh random secret (e.g. the WhatsApp sandbox's access token).
		 * @return 256 random bits, base64url
		 */
		public static String randomJwtSecret() {
			byte[] key = new byte[32];
			new java.security.SecureRandom().nextBytes(key);
			return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(key);
		}

		/**
		 * What points the inbox at a WhatsApp Cloud API sandbox instead of Meta's Graph
		 * API.
		 * @param graphBaseUrl the sandbox's URL
		 * @param accessToken the token the sandbox expects
		 * @return environment variables for the services
		 */
		public static Map<String, String> sandboxEnvironment(String graphBaseUrl, String accessToken) {
			return Map.of("SWITCHBOARD_WHATSAPP_GRAPH_BASE_URL", graphBaseUrl, "SWITCHBOARD_WHATSAPP_ACCESS_TOKEN",
					accessToken);
		}

		/**
		 * The five services and the console on their default ports. The console comes
		 * last: its Kafka consumer starts at the latest offsets of topics the services
		 * have created by then.
		 */
		public static List<Service> defaultServices(int gatewayPort) {
			return List.of(new Service("gateway-service", gatewayPort), new Service("inbox-service", 8081),
					new Service("routing-service", 8082), new Service("audit-service", 8083),
					new Service("billing-service", 8084), new Service(CONSOLE, 8085));
		}

		/**
		 * A PostgreSQL database.
		 *
		 * @param host host
		 * @param port port
		 * @param name database name
		 * @param username user
		 * @param password password
		 */
		public record Database(String host, int port, String name, String username, String password) {

		}

	}

}

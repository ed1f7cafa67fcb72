package dev.switchboard.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.switchboard.sandbox.WhatsAppSandbox;
import dev.switchboard.testsupport.Database;
import dev.switchboard.testsupport.Infrastructure;
import dev.switchboard.testsupport.RealInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole platform as separate processes on the real broker and database, with the
 * WhatsApp sandbox playing Meta, and a client that calls it only through the gateway.
 */
final class Gateway implements AutoCloseable {

	static final DemoTenant TENANT = DemoTenant.DEFAULT;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final Platform platform;

	private final WhatsAppSandbox sandbox;

	private final Database database;

	private Gateway(Platform platform, WhatsAppSandbox sandbox, Database database) {
		this.platform = platform;
		this.sandbox = sandbox;
		this.database = database;
	}

	/**
	 * Starts the sandbox and the five services from their jars.
	 * @param logs where the services' logs go
	 * @param environment more settings for every service
	 * @return the running platform
	 * @throws IOException if a service does not start
	 */
	static Gateway start(Path logs, Map<String, String> environment) throws IOException {
		Infrastructure infrastructure = RealInfrastructure.get();
		Database database = infrastructure.database();
		int gatewayPort = FreePorts.next();
		List<Service> services = List.of(new Service("gateway-service", gatewayPort, FreePorts.next()),
				new Service("inbox-service", FreePorts.next(), FreePorts.next()),
				new Service("routing-service", FreePorts.next(), FreePorts.next()),
				new Service("audit-service", FreePorts.next(), FreePorts.next()),
				new Service("billing-service", FreePorts.next(), FreePorts.next()),
				new Service(Platform.CONSOLE, FreePorts.next(), FreePorts.next()));
		int identityPort = FreePorts.next();
		Path home = copyJars(services, logs.resolveSibling(logs.getFileName() + "-jars"));
		String graphToken = Platform.Settings.randomJwtSecret();
		WhatsAppSandbox sandbox = WhatsAppSandbox.start(new WhatsAppSandbox.Settings(0, graphToken,
				URI.create("http://localhost:" + gatewayPort + "/webhooks/whatsapp"), TENANT.appSecret(),
				TENANT.phoneNumberId(), Duration.ofMillis(200)));
		try {
			Map<String, String> all = new HashMap<>(Platform.Settings.sandboxEnvironment(sandbox.url(), graphToken));
			all.putAll(environment);
			Platform platform = Platform.start(new Platform.Settings(home, logs, infrastructure.kafkaBootstrapServers(),
					new Platform.Settings.Database(database.host(), database.port(), database.name(),
							database.username(), database.password()),
					services, TENANT, Duration.ofMinutes(12), identityPort, all));
			return new Gateway(platform, sandbox, database);
		}
		catch (IOException | RuntimeException ex) {
			sandbox.close();
			throw ex;
		}
	}

	WhatsAppSandbox sandbox() {
		return this.sandbox;
	}

	String url() {
		return this.platform.service("gateway-service").url();
	}

	/**
	 * A service of the platform, to call its own ports directly.
	 * @param name the service's name
	 * @return its ports
	 */
	Service service(String name) {
		return this.platform.service(name);
	}

	/** The local OpenID Connect provider's issuer. */
	String issuer() {
		return this.platform.issuer();
	}

	/**
	 * A user's bearer token from the local OpenID Connect provider, as a script gets it
	 * ({@code client_credentials}).
	 * @param user a demo user, or one added with {@link IdentityProvider#user}
	 * @return the token
	 */
	String token(String user) throws IOException, InterruptedException {
		return IdentityProvider.token(this.http, this.platform.issuer(), user);
	}

	HttpResponse<String> get(@Nullable String token, String path) throws IOException, InterruptedException {
		return call(token, "GET", path, null);
	}

	/**
	 * A GET on the gateway's management port (the actuator), which it does not route.
	 * @param token the caller, if any
	 * @param path the actuator path
	 * @return the answer
	 */
	HttpResponse<String> management(@Nullable String token, String path) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create(this.platform.service("gateway-service").managementUrl() + path))
			.timeout(Duration.ofSeconds(30));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	HttpResponse<String> call(@Nullable String token, String method, String path, @Nullable String body,
			String... headers) throws IOException, InterruptedException {
		return this.http.send(request(token, method, path, body, headers), HttpResponse.BodyHandlers.ofString());
	}

	HttpRequest request(@Nullable String token, String method, String path, @Nullable String body, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + path))
			.timeout(Duration.ofSeconds(30))
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		if (body != null) {
			request.header("Content-Type", "application/json");
		}
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		for (int i = 0; i + 1 < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		return request.build();
	}

	HttpClient http() {
		return this.http;
	}

	/**
	 * A call that must answer 2xx, read as JSON.
	 * @param token the caller
	 * @param method the method
	 * @param path the path
	 * @param body the JSON body, if any
	 * @param headers more headers, name then value
	 * @return the answer
	 */
	JsonNode ok(String token, String method, String path, @Nullable String body, String... headers)
			throws IOException, InterruptedException {
		HttpResponse<String> response = call(token, method, path, body, headers);
		assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isBetween(200, 299);
		return json(response);
	}

	/**
	 * Revokes the tenant's active and suspended devices, as an owner makes room: the
	 * integration tests share one database, so a test registering a device starts within
	 * the plan's limits whatever the tests before it registered.
	 * @param ownerToken an owner's or admin's token
	 */
	void revokeDevices(String ownerToken) throws IOException, InterruptedException {
		for (String state : List.of("ACTIVE", "SUSPENDED")) {
			for (JsonNode device : ok(ownerToken, "GET", "/api/v1/devices?state=" + state + "&limit=100", null)
				.path("items")) {
				ok(ownerToken, "POST", "/api/v1/devices/" + device.path("id").asString() + "/revoke", null);
			}
		}
	}

	static JsonNode json(HttpResponse<String> response) {
		return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
	}

	long count(String sql, String... parameters) throws SQLException {
		try (Connection connection = DriverManager.getConnection(this.database.jdbcUrl(), this.database.username(),
				this.database.password()); PreparedStatement statement = connection.prepareStatement(sql)) {
			for (int i = 0; i < parameters.length; i++) {
				statement.setString(i + 1, parameters[i]);
			}
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				return result.getLong(1);
			}
		}
	}

	/**
	 * Runs statements in one session with the test database's login, as a database
	 * superuser could (e.g. to switch triggers off and tamper with a table).
	 * @param statements SQL statements, run in order
	 */
	void execute(String... statements) throws SQLException {
		try (Connection connection = DriverManager.getConnection(this.database.jdbcUrl(), this.database.username(),
				this.database.password()); java.sql.Statement statement = connection.createStatement()) {
			for (String sql : statements) {
				statement.execute(sql);
			}
		}
	}

	@Override
	public void close() {
		try {
			this.platform.close();
		}
		finally {
			this.sandbox.close();
		}
	}

	/**
	 * Runs the services from copies of their jars, so that a module rebuilt meanwhile
	 * does not change a jar under a running service.
	 */
	private static Path copyJars(List<Service> services, Path home) throws IOException {
		Path modules = Path.of("").toAbsolutePath().getParent();
		List<String> names = new java.util.ArrayList<>(services.stream().map(Service::name).toList());
		names.add(IdentityProvider.NAME);
		for (String name : names) {
			Path jar = Path.of(name, "target", name + ".jar");
			Path copy = home.resolve(jar);
			Files.createDirectories(copy.getParent());
			Files.copy(modules.resolve(jar), copy, StandardCopyOption.REPLACE_EXISTING);
		}
		return home;
	}

}

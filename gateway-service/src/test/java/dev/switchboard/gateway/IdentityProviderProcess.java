package dev.switchboard.gateway;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.json.JsonMapper;

import static org.awaitility.Awaitility.await;

/**
 * The identity-provider module's jar (Spring Authorization Server) as a child process on
 * a free port of 127.0.0.1, with test users added to its demo users. It runs as its own
 * process because it is a servlet application and the gateway a reactive one.
 */
final class IdentityProviderProcess implements AutoCloseable {

	static final String CLIENT_SECRET = "test-client-secret";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final Process process;

	private final String issuer;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final Map<String, String> tokens = new ConcurrentHashMap<>();

	private IdentityProviderProcess(Process process, String issuer) {
		this.process = process;
		this.issuer = issuer;
	}

	/**
	 * Starts the provider and waits for its discovery document.
	 * @param users more users (each also a client_credentials client of that name)
	 * @return the running provider
	 */
	static IdentityProviderProcess start(List<User> users) {
		Path jar = Path.of("").toAbsolutePath().getParent().resolve("identity-provider/target/identity-provider.jar");
		if (!Files.isRegularFile(jar)) {
			throw new IllegalStateException(jar + " is missing: build with -pl gateway-service -am");
		}
		int port = freePort();
		String issuer = "http://127.0.0.1:" + port;
		List<String> command = new ArrayList<>(
				List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx192m", "-XX:+UseSerialGC",
						"-XX:TieredStopAtLevel=1", "-jar", jar.toString(), "--server.port=" + port,
						"--switchboard.identity.issuer=" + issuer, "--switchboard.identity.password=test-password",
						"--switchboard.identity.client-secret=" + CLIENT_SECRET));
		for (User user : users) {
			command.add("--switchboard.identity.users." + user.name() + ".tenant=" + user.tenant());
			command.add("--switchboard.identity.users." + user.name() + ".roles=" + String.join(",", user.roles()));
		}
		try {
			Path log = Files.createDirectories(Path.of("target")).resolve("identity-provider-" + port + ".log");
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			// Not left behind when the test JVM ends without @AfterAll (a failed class).
			Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
			IdentityProviderProcess provider = new IdentityProviderProcess(process, issuer);
			await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250)).until(() -> {
				if (!process.isAlive()) {
					throw new IllegalStateException("The identity provider exited; see " + log);
				}
				return provider.discoveryServes();
			});
			return provider;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	String issuer() {
		return this.issuer;
	}

	/**
	 * A {@code client_credentials} access token of a user's script client, fetched once.
	 * @param user the user (client id)
	 * @return the JWT
	 */
	String token(String user) {
		return this.tokens.computeIfAbsent(user, this::fetchToken);
	}

	private String fetchToken(String user) {
		String basic = Base64.getEncoder()
			.encodeToString((user + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
		try {
			HttpResponse<String> response = this.http
				.send(HttpRequest.newBuilder(URI.create(this.issuer + "/oauth2/token"))
					.header("Authorization", "Basic " + basic)
					.header("Content-Type", "application/x-www-form-urlencoded")
					.POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
					.build(), HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				throw new IllegalStateException("No token for " + user + ": " + response.body());
			}
			return JSON.readTree(response.body()).path("access_token").asString();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private boolean discoveryServes() {
		try {
			return this.http
				.send(HttpRequest.newBuilder(URI.create(this.issuer + "/.well-known/openid-configuration"))
					.timeout(Duration.ofSeconds(2))
					.build(), HttpResponse.BodyHandlers.discarding())
				.statusCode() == 200;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(20, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.process.destroyForcibly();
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A user of the provider.
	 *
	 * @param name the user name, also the client id
	 * @param tenant the tenant
	 * @param roles the roles
	 */
	record User(String name, String tenant, String... roles) {

	}

}

package dev.switchboard.benchmark;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The local OpenID Connect provider (the identity-provider module's jar) as the local
 * start runs it, with the run's users: the gateway verifies its tokens, the load
 * generator gets them with each user's {@code client_credentials} grant.
 */
final class IdentityProvider implements AutoCloseable {

	static final String NAME = "identity-provider";

	static final String CLIENT_SECRET = "demo";

	private final Process process;

	private final String issuer;

	private IdentityProvider(Process process, String issuer) {
		this.process = process;
		this.issuer = issuer;
	}

	/**
	 * Starts the provider and waits for its discovery document.
	 * @param home the repository root
	 * @param work this run's directory (the jar's copy and the log go there)
	 * @param tenant the tenant of every user
	 * @param users user name and role
	 * @param timeout how long it may take
	 * @return the running provider
	 * @throws IOException if it does not start
	 */
	static IdentityProvider start(Path home, Path work, String tenant, List<String[]> users, Duration timeout)
			throws IOException {
		Path built = home.resolve(NAME).resolve("target").resolve(NAME + ".jar");
		if (!Files.isRegularFile(built)) {
			throw new IOException(built + " is missing: build first with ./mvnw -DskipTests package");
		}
		Path jar = work.resolve("jars").resolve(NAME + ".jar");
		Files.createDirectories(jar.getParent());
		Files.copy(built, jar, StandardCopyOption.REPLACE_EXISTING);
		int port = Processes.freePort();
		String issuer = "http://127.0.0.1:" + port;
		List<String> command = new ArrayList<>(List.of(Processes.java(), "-Xmx192m", "-XX:+UseSerialGC",
				"-XX:TieredStopAtLevel=1", "-jar", jar.toString(), "--server.port=" + port,
				"--switchboard.identity.issuer=" + issuer, "--switchboard.identity.password=" + CLIENT_SECRET,
				"--switchboard.identity.client-secret=" + CLIENT_SECRET,
				// Tokens are fetched once, at the start of a run that may last hours.
				"--switchboard.identity.access-token-time-to-live=24h"));
		for (String[] user : users) {
			command.add("--switchboard.identity.users." + user[0] + ".tenant=" + tenant);
			command.add("--switchboard.identity.users." + user[0] + ".roles=" + user[1]);
		}
		Path log = work.resolve("logs").resolve(NAME + ".log");
		Files.createDirectories(log.getParent());
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
			.start();
		IdentityProvider provider = new IdentityProvider(process, issuer);
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
		Instant deadline = Instant.now().plus(timeout);
		while (!provider.ready(http)) {
			if (!process.isAlive() || Instant.now().isAfter(deadline)) {
				provider.close();
				throw new IOException(NAME + " did not serve its discovery document; see " + log);
			}
			Processes.sleep(250);
		}
		return provider;
	}

	String issuer() {
		return this.issuer;
	}

	private boolean ready(HttpClient http) {
		try {
			return http
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
			throw new IllegalStateException(ex);
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

}

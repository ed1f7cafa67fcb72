package dev.switchboard.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local OpenID Connect provider: the identity-provider module's jar (Spring
 * Authorization Server) on 127.0.0.1, with the demo users of its configuration. Each user
 * signs in with the form (password {@value #DEMO_PASSWORD}) and is also a confidential
 * client of the same name for scripts ({@code client_credentials}, secret
 * {@value #DEMO_CLIENT_SECRET}).
 */
public final class IdentityProvider {

	/** The module, its jar and the process's name. */
	public static final String NAME = "identity-provider";

	/** Every demo user's password: the provider listens on loopback only. */
	public static final String DEMO_PASSWORD = "demo";

	/** Every demo user's client secret. */
	public static final String DEMO_CLIENT_SECRET = "demo";

	/** The demo users of the provider's configuration: name, tenant, roles. */
	public static final List<String> DEMO_USERS = List.of("olivia  demo      OWNER AGENT", "adam    demo      ADMIN",
			"mario   demo      AGENT", "lucia   demo      AGENT", "fiona   demo      FINANCE", "sam     platform  SRE",
			"oscar   platform  OPERATOR", "nora    demo      (no role)");

	private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");

	private IdentityProvider() {
	}

	/**
	 * The issuer on a port, as tokens name it and the gateway expects it.
	 * @param port the provider's port
	 * @return the issuer URL
	 */
	public static String issuer(int port) {
		return "http://127.0.0.1:" + port;
	}

	/**
	 * The provider process's settings, for a console behind a gateway on 8080.
	 * @param port the provider's port
	 * @return the environment
	 */
	static Map<String, String> environment(int port) {
		return environment(port, 8080);
	}

	/**
	 * The provider process's settings.
	 * @param port the provider's port
	 * @param gatewayPort where browsers reach the console, whose sign-in returns there
	 */
	static Map<String, String> environment(int port, int gatewayPort) {
		Map<String, String> env = new LinkedHashMap<>();
		env.put("SERVER_PORT", Integer.toString(port));
		env.put("SWITCHBOARD_IDENTITY_CONSOLE_REDIRECTURIS",
				"http://127.0.0.1:" + gatewayPort + "/login/oauth2/code/switchboard");
		env.put("SWITCHBOARD_IDENTITY_ISSUER", issuer(port));
		env.put("SWITCHBOARD_IDENTITY_PASSWORD", DEMO_PASSWORD);
		env.put("SWITCHBOARD_IDENTITY_CLIENT_SECRET", DEMO_CLIENT_SECRET);
		return env;
	}

	/**
	 * Environment variables that add a user (and its client) to the demo users, for tests
	 * that need another tenant.
	 * @param name the user name: lower-case letters and digits (an environment variable
	 * cannot carry more of a map key)
	 * @param tenant the tenant
	 * @param roles the roles
	 * @return the variables, for {@link Platform.Settings#environment()}
	 */
	public static Map<String, String> user(String name, String tenant, String... roles) {
		if (!name.matches("[a-z0-9]+")) {
			throw new IllegalArgumentException("A user name here is lower-case letters and digits: " + name);
		}
		String prefix = "SWITCHBOARD_IDENTITY_USERS_" + name.toUpperCase(Locale.ROOT) + "_";
		return Map.of(prefix + "TENANT", tenant, prefix + "ROLES", String.join(",", roles));
	}

	/**
	 * Whether the provider answers its discovery document.
	 * @param http a client
	 * @param issuer the issuer
	 * @return true once it serves
	 */
	static boolean isReady(HttpClient http, String issuer) {
		try {
			return http
				.send(HttpRequest.newBuilder(URI.create(issuer + "/.well-known/openid-configuration"))
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

	/**
	 * A user's access token, as a script gets it: the {@code client_credentials} grant of
	 * the user's client.
	 * @param http a client
	 * @param issuer the issuer
	 * @param user the user (client id)
	 * @return the JWT
	 * @throws IOException if the provider refuses or cannot be reached
	 * @throws InterruptedException if interrupted
	 */
	public static String token(HttpClient http, String issuer, String user) throws IOException, InterruptedException {
		return tokenAt(http, issuer + "/oauth2/token", user);
	}

	/**
	 * A user's access token from a token endpoint elsewhere than the provider's default
	 * (e.g. configured at Keycloak's path).
	 * @param http a client
	 * @param tokenEndpoint the token endpoint's URL
	 * @param user the user (client id)
	 * @return the JWT
	 * @throws IOException if the provider refuses or cannot be reached
	 * @throws InterruptedException if interrupted
	 */
	public static String tokenAt(HttpClient http, String tokenEndpoint, String user)
			throws IOException, InterruptedException {
		String basic = Base64.getEncoder()
			.encodeToString((user + ":" + DEMO_CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
		HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(tokenEndpoint))
			.timeout(Duration.ofSeconds(30))
			.header("Authorization", "Basic " + basic)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
			.build(), HttpResponse.BodyHandlers.ofString());
		Matcher token = ACCESS_TOKEN.matcher(response.body());
		if (response.statusCode() != 200 || !token.find()) {
			throw new IOException("No token for " + user + " from " + tokenEndpoint + ": " + response.statusCode() + " "
					+ response.body());
		}
		return token.group(1);
	}

}

package dev.switchboard.local;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import dev.switchboard.sandbox.WhatsAppSandbox;

/**
 * Starts Switchboard on this machine without Docker: a real Apache Kafka broker (KRaft,
 * in this JVM), the local PostgreSQL (database {@code switchboard}, created when
 * missing), the local OpenID Connect provider, the five services and the console (browser
 * pages behind the gateway) as child processes. Ctrl-C stops everything.
 * <p>
 * The broker listens on a free port of localhost, printed at start and handed to the
 * services. The inbox sends through a local WhatsApp Cloud API sandbox (port 8090) that
 * calls the gateway's webhook back with signed ticks and can play customers. Environment:
 * {@code SWITCHBOARD_GATEWAY_PORT} (8080), {@code SWITCHBOARD_SANDBOX_PORT} (8090),
 * {@code SWITCHBOARD_IDENTITY_PORT} (9000), {@code SWITCHBOARD_DB_HOST} (127.0.0.1),
 * {@code SWITCHBOARD_DB_PORT} (5432), {@code SWITCHBOARD_DB_NAME} (switchboard),
 * {@code SWITCHBOARD_DB_USERNAME} (postgres), {@code SWITCHBOARD_DB_PASSWORD} (empty),
 * each defaulting to the standard {@code PGHOST}, {@code PGPORT}, {@code PGDATABASE},
 * {@code PGUSER} and {@code PGPASSWORD} ({@link DatabaseEnvironment}). The ports are
 * checked first ({@link Ports}); where no PostgreSQL answers on this machine, a private
 * one runs under {@code .local/postgres} ({@link LocalPostgres}).
 */
public final class SwitchboardLocal {

	private SwitchboardLocal() {
	}

	public static void main(String[] args) throws Exception {
		try {
			start();
		}
		catch (IOException | SQLException | IllegalStateException | IllegalArgumentException ex) {
			// Exits, rather than leaving the broker's threads running with nothing to
			// serve.
			System.err.println("Switchboard: " + ex.getMessage());
			System.exit(1);
		}
		catch (Exception ex) {
			ex.printStackTrace();
			System.exit(1);
		}
	}

	private static void start() throws Exception {
		int gatewayPort = Integer.parseInt(env("SWITCHBOARD_GATEWAY_PORT", "8080"));
		int identityPort = Integer.parseInt(env("SWITCHBOARD_IDENTITY_PORT", "9000"));
		int sandboxPort = Integer.parseInt(env("SWITCHBOARD_SANDBOX_PORT", "8090"));
		Path home = Path.of("").toAbsolutePath();
		Ports.check(Ports.of(Platform.Settings.defaultServices(gatewayPort), identityPort, sandboxPort));
		LocalPostgres postgres = LocalPostgres.start(DatabaseEnvironment.database(System.getenv()),
				home.resolve(".local/postgres"));
		Platform.Settings.Database database = postgres.database();
		CountDownLatch stopped = new CountDownLatch(1);
		AtomicBoolean up = new AtomicBoolean();
		postgres.stopAtExit(stopped, up::get);

		System.out.println("Switchboard: starting Kafka (KRaft)");
		EmbeddedKafkaKraftBroker kafka = new EmbeddedKafkaKraftBroker(1, 4);
		kafka.brokerProperty("group.initial.rebalance.delay.ms", "0");
		kafka.afterPropertiesSet();

		System.out.println(
				"Switchboard: using PostgreSQL " + database.host() + ":" + database.port() + "/" + database.name());
		ensureDatabase(database);

		DemoTenant tenant = DemoTenant.DEFAULT;
		String graphToken = Platform.Settings.randomJwtSecret();
		WhatsAppSandbox sandbox = WhatsAppSandbox.start(new WhatsAppSandbox.Settings(sandboxPort, graphToken,
				URI.create("http://localhost:" + gatewayPort + "/webhooks/whatsapp"), tenant.appSecret(),
				tenant.phoneNumberId(), Duration.ofMillis(500), tenant.wabaId(),
				WhatsAppSandbox.Settings.recipients(env("SWITCHBOARD_SANDBOX_FAILING_RECIPIENTS", ""))));
		System.out.println("Switchboard: WhatsApp Cloud API sandbox on " + sandbox.url());

		Platform.Settings settings = new Platform.Settings(home, home.resolve(".local/logs"),
				kafka.getBrokersAsString(), database, Platform.Settings.defaultServices(gatewayPort), tenant,
				Duration.ofSeconds(300), identityPort, Platform.Settings.sandboxEnvironment(sandbox.url(), graphToken));
		System.out.println("Switchboard: starting the services (logs in " + settings.logs() + ")");
		Platform platform = Platform.start(settings);
		up.set(true);

		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			System.out.println("Switchboard: stopping");
			platform.close();
			sandbox.close();
			kafka.destroy();
			stopped.countDown();
		}, "switchboard-stop"));
		printWelcome(settings, sandbox);
		stopped.await();
	}

	private static void printWelcome(Platform.Settings settings, WhatsAppSandbox sandbox) {
		StringBuilder text = new StringBuilder("\nSwitchboard is up.\n\n");
		for (Service service : settings.services()) {
			text.append(String.format("  %-16s %s%n", service.name(), service.url()));
		}
		DemoTenant tenant = settings.tenant();
		text.append(String.format("%n  Console          http://127.0.0.1:%d/ (sign in as mario, password \"%s\")%n",
				settings.services().getFirst().port(), IdentityProvider.DEMO_PASSWORD));
		text.append(String.format("  Kafka            %s%n", settings.kafkaBootstrapServers()));
		text.append(String.format("  Webhook          %s/webhooks/whatsapp%n", settings.services().getFirst().url()));
		text.append(
				String.format("  Demo tenant      id=%s phone_number_id=%s%n", tenant.id(), tenant.phoneNumberId()));
		text.append(String.format("                   app secret=%s verify token=%s%n", tenant.appSecret(),
				tenant.verifyToken()));
		text.append(String.format("  WhatsApp sandbox %s (Graph API stand-in)%n", sandbox.url()));
		text.append(String
			.format("%n  A customer writes in:%n    curl -s -X POST %s/sandbox/customers/393331234567/messages"
					+ " -H 'Content-Type: application/json' -d '{\"name\":\"Giulia\",\"text\":\"Is my order shipped?\"}'%n",
					sandbox.url()));
		text.append(String.format(
				"  Sign-in          %s (OpenID Connect; discovery at /.well-known/openid-configuration)%n",
				settings.issuer()));
		text.append(String.format(
				"%n  Demo users (password \"%s\" in a browser; each is also a script client, secret \"%s\"):%n",
				IdentityProvider.DEMO_PASSWORD, IdentityProvider.DEMO_CLIENT_SECRET));
		for (String user : IdentityProvider.DEMO_USERS) {
			text.append("    ").append(user).append('\n');
		}
		text.append(String.format(
				"%n  A token for the demo owner:%n    TOKEN=$(curl -s -u olivia:%s -d grant_type=client_credentials"
						+ " %s/oauth2/token | grep -o '\"access_token\":\"[^\"]*\"' | cut -d'\"' -f4)%n"
						+ "    curl -s %s/api/v1/conversations -H \"Authorization: Bearer $TOKEN\"%n",
				IdentityProvider.DEMO_CLIENT_SECRET, settings.issuer(), settings.services().getFirst().url()));
		text.append("\nCtrl-C stops everything.\n");
		System.out.println(text);
	}

	private static void ensureDatabase(Platform.Settings.Database database) throws SQLException {
		String url = "jdbc:postgresql://" + database.host() + ":" + database.port() + "/postgres";
		try (Connection connection = DriverManager.getConnection(url, database.username(), database.password());
				PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
			exists.setString(1, database.name());
			try (ResultSet result = exists.executeQuery()) {
				if (!result.next()) {
					try (Statement create = connection.createStatement()) {
						create.execute("CREATE DATABASE \"" + database.name().replace("\"", "") + "\"");
					}
				}
			}
		}
		catch (SQLException ex) {
			throw new SQLException("PostgreSQL is needed at " + database.host() + ":" + database.port()
					+ " (set PGHOST, PGPORT, PGUSER and PGPASSWORD, or SWITCHBOARD_DB_HOST, _PORT, _USERNAME and "
					+ "_PASSWORD): " + ex.getMessage(), ex);
		}
	}

	private static String env(String name, String fallback) {
		String value = System.getenv(name);
		return (value != null && !value.isBlank()) ? value : fallback;
	}

}

package dev.switchboard.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Starts the real Kafka broker and PostgreSQL database once per test JVM and stops them
 * when the JVM exits.
 * <ul>
 * <li>With a Docker engine: Testcontainers' {@code apache/kafka} and
 * {@code postgres}.</li>
 * <li>Without one: an in-JVM Apache Kafka KRaft broker and a fresh, randomly named
 * database on the local PostgreSQL ({@code SWITCHBOARD_TEST_PGHOST},
 * {@code SWITCHBOARD_TEST_PGPORT}, {@code SWITCHBOARD_TEST_PGUSER},
 * {@code SWITCHBOARD_TEST_PGPASSWORD}; defaults 127.0.0.1:5432, postgres), dropped at
 * exit.</li>
 * </ul>
 * {@code SWITCHBOARD_TEST_INFRA=containers|embedded} forces a backend.
 */
public final class RealInfrastructure {

	private static final Logger logger = LoggerFactory.getLogger(RealInfrastructure.class);

	private static @Nullable Infrastructure instance;

	private RealInfrastructure() {
	}

	public static synchronized Infrastructure get() {
		if (instance == null) {
			instance = useContainers() ? startContainers() : startEmbedded();
			logger.info("Integration tests use {}: Kafka {} and database {}", instance.backend(),
					instance.kafkaBootstrapServers(), instance.database().jdbcUrl());
		}
		return instance;
	}

	/**
	 * Creates another database on the test JVM's PostgreSQL server, dropped when the JVM
	 * exits: for tests that run a platform of their own beside the shared one (whose
	 * services would otherwise work the same tables).
	 * @param prefix the start of its name (letters, digits and underscores)
	 * @return the new, empty database
	 */
	public static Database newDatabase(String prefix) {
		Database server = get().database();
		Database database = new Database(server.host(), server.port(),
				prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10), server.username(),
				server.password());
		execute(server, "CREATE DATABASE " + database.name());
		Runtime.getRuntime().addShutdownHook(new Thread(() -> drop(database), "drop-" + database.name()));
		return database;
	}

	/**
	 * Drops a database made by {@link #newDatabase(String)} now, closing its connections.
	 * @param database the database
	 */
	public static void drop(Database database) {
		Database admin = new Database(database.host(), database.port(), "postgres", database.username(),
				database.password());
		try {
			execute(admin, "DROP DATABASE IF EXISTS " + database.name() + " WITH (FORCE)");
		}
		catch (IllegalStateException ex) {
			logger.warn("Could not drop test database {}", database.name(), ex);
		}
	}

	private static boolean useContainers() {
		String forced = env("SWITCHBOARD_TEST_INFRA", "auto").toLowerCase(Locale.ROOT);
		return switch (forced) {
			case "containers" -> true;
			case "embedded" -> false;
			default -> dockerEngineLikely() && DockerClientFactory.instance().isDockerAvailable();
		};
	}

	private static boolean dockerEngineLikely() {
		return System.getenv("DOCKER_HOST") != null || Files.exists(Path.of("/var/run/docker.sock"));
	}

	private static Infrastructure startContainers() {
		KafkaContainer kafka = new KafkaContainer("apache/kafka:4.1.1");
		PostgreSQLContainer postgres = new PostgreSQLContainer("postgres:17-alpine");
		kafka.start();
		postgres.start();
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			kafka.stop();
			postgres.stop();
		}, "stop-test-containers"));
		Database database = new Database(postgres.getHost(), postgres.getFirstMappedPort(), postgres.getDatabaseName(),
				postgres.getUsername(), postgres.getPassword());
		return new Infrastructure(kafka.getBootstrapServers(), database, "Testcontainers");
	}

	private static Infrastructure startEmbedded() {
		EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 4);
		broker.brokerProperty("auto.create.topics.enable", "true");
		broker.brokerProperty("group.initial.rebalance.delay.ms", "0");
		broker.afterPropertiesSet();
		Database database = createLocalDatabase();
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			broker.destroy();
			drop(database);
		}, "stop-test-infrastructure"));
		return new Infrastructure(broker.getBrokersAsString(), database, "in-JVM KRaft broker and local PostgreSQL");
	}

	private static Database createLocalDatabase() {
		String name = "switchboard_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		Database admin = new Database(env("SWITCHBOARD_TEST_PGHOST", "127.0.0.1"),
				Integer.parseInt(env("SWITCHBOARD_TEST_PGPORT", "5432")), "postgres",
				env("SWITCHBOARD_TEST_PGUSER", "postgres"), env("SWITCHBOARD_TEST_PGPASSWORD", ""));
		execute(admin, "CREATE DATABASE " + name);
		return new Database(admin.host(), admin.port(), name, admin.username(), admin.password());
	}

	private static void execute(Database database, String sql) {
		try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.username(),
				database.password()); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("PostgreSQL at " + database.host() + ":" + database.port()
					+ " is needed for integration tests (" + sql + "): " + ex.getMessage(), ex);
		}
	}

	private static String env(String name, String fallback) {
		String value = System.getenv(name);
		return (value != null && !value.isBlank()) ? value : fallback;
	}

}

package dev.switchboard.audit.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.switchboard.events.ConversationIds;
import dev.switchboard.events.WindowOpened;
import dev.switchboard.testsupport.Database;
import dev.switchboard.testsupport.IntegrationTest;
import dev.switchboard.testsupport.RealInfrastructure;
import dev.switchboard.testsupport.TestEvents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The service with the database logins of a deployment, created by
 * {@code deploy/postgres/init.sql} in a database of its own: Flyway migrates as the
 * schema's owner, the service runs as a login that owns nothing, which appends to the log
 * but can neither change it nor switch its append-only triggers off.
 */
@IntegrationTest
@DirtiesContext
class DatabaseLoginsIT {

	private static final String SUFFIX = UUID.randomUUID().toString().replace("-", "").substring(0, 10);

	private static final String OWNER = "audit_owner_" + SUFFIX;

	private static final String APP = "audit_app_" + SUFFIX;

	private static final String PASSWORD = UUID.randomUUID().toString();

	private static final Database database = createDatabaseWithTheDeploymentsLogins();

	private static TestEvents events;

	@Autowired
	private DatabaseClient service;

	@DynamicPropertySource
	static void logins(DynamicPropertyRegistry registry) {
		registry.add("spring.r2dbc.url", () -> "r2dbc:postgresql://%s:%d/%s?schema=audit&applicationName=audit-service"
			.formatted(database.host(), database.port(), database.name()));
		registry.add("spring.r2dbc.username", () -> APP);
		registry.add("spring.r2dbc.password", () -> PASSWORD);
		registry.add("spring.flyway.url", database::jdbcUrl);
		registry.add("spring.flyway.user", () -> OWNER);
		registry.add("spring.flyway.password", () -> PASSWORD);
		// A consumer group of its own: every event reaches this context too.
		registry.add("spring.cloud.stream.bindings.recordAudit-in-0.group", () -> "audit-logins-" + SUFFIX);
	}

	@BeforeAll
	static void connect() {
		events = new TestEvents(RealInfrastructure.get().kafkaBootstrapServers());
	}

	@AfterAll
	static void disconnect() {
		events.close();
	}

	@Test
	void whenTheServiceRunsAsItsRuntimeLoginThenTheOwnerMigratedAndItAppendsToTheLog() throws SQLException {
		try (Connection owner = connect(OWNER)) {
			assertThat(strings(owner, "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'audit'"))
				.containsExactly(OWNER);
			assertThat(strings(owner, "SELECT tablename FROM pg_tables WHERE schemaname = 'audit'"))
				.contains("flyway_schema_history", "audit_entry", "audit_tree_head", "outbox");
		}
		// postgres-exporter's login reads the outbox backlog and nothing else of the
		// schema.
		try (Connection exporter = connect("exporter_" + SUFFIX)) {
			assertThat(strings(exporter, "SELECT count(*) FROM audit.outbox")).hasSize(1);
			assertThatThrownBy(() -> strings(exporter, "SELECT count(*) FROM audit.contact_key"))
				.isInstanceOf(SQLException.class)
				.hasMessageContaining("permission denied");
		}
		assertThat(this.service.sql("SELECT session_user AS login, current_user AS role")
			.map((row) -> row.get("login", String.class) + "/" + row.get("role", String.class))
			.one()
			.block()).isEqualTo(APP + "/audit_writer");

		String tenant = "tenant-" + UUID.randomUUID();
		String conversation = ConversationIds.of(tenant, "393330001111");
		events.publish(new WindowOpened(tenant, conversation, Instant.now(), Instant.now().plusSeconds(86_400)));
		await().atMost(Duration.ofSeconds(30)).until(() -> count(tenant) == 1);
	}

	@Test
	void whenTheRuntimeLoginAltersOrRewritesTheLogThenItIsRefused() throws SQLException {
		try (Connection app = connect(APP); Statement statement = app.createStatement()) {
			for (String sql : List.of("ALTER TABLE audit.audit_entry DISABLE TRIGGER audit_entry_append_only",
					"ALTER TABLE audit.audit_tree_head DISABLE TRIGGER ALL",
					"ALTER TABLE audit.audit_entry ADD COLUMN forged TEXT", "DROP TABLE audit.audit_tree_head",
					"UPDATE audit.audit_entry SET event_type = 'forged'", "DELETE FROM audit.audit_entry",
					"DELETE FROM audit.audit_tree_head", "TRUNCATE audit.audit_entry",
					"CREATE TABLE audit.forged (id INT)", "CREATE TABLE public.forged (id INT)", "SET ROLE " + OWNER)) {
				assertThatThrownBy(() -> statement.execute(sql)).as(sql)
					.isInstanceOf(SQLException.class)
					// insufficient_privilege: "must be owner", "permission denied"
					.satisfies((ex) -> assertThat(((SQLException) ex).getSQLState()).as(sql).isEqualTo("42501"));
			}
		}
		// The service's own connections, as audit_writer.
		for (String sql : List.of("ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only",
				"DELETE FROM audit_entry", "UPDATE audit_tree_head SET key_id = 'forged'")) {
			assertThatThrownBy(() -> this.service.sql(sql).then().block()).as(sql)
				.hasMessageMatching("(?s).*(must be owner|permission denied).*");
		}
	}

	private long count(String tenant) {
		Long n = this.service.sql("SELECT count(*) AS n FROM audit_entry WHERE tenant_id = :tenant")
			.bind("tenant", tenant)
			.map((row) -> row.get("n", Long.class))
			.one()
			.block();
		return (n != null) ? n : 0;
	}

	private static Connection connect(String login) throws SQLException {
		return DriverManager.getConnection(database.jdbcUrl(), login, PASSWORD);
	}

	private static List<String> strings(Connection connection, String sql) throws SQLException {
		try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
			List<String> values = new ArrayList<>();
			while (rows.next()) {
				values.add(rows.getString(1));
			}
			return values;
		}
	}

	/**
	 * A new database of the test cluster, set up by {@code deploy/postgres/init.sql} as
	 * the superuser with logins of this test's own names (roles are cluster-wide).
	 */
	private static Database createDatabaseWithTheDeploymentsLogins() {
		Database cluster = RealInfrastructure.get().database();
		String name = "switchboard_logins_" + SUFFIX;
		Map<String, String> variables = new LinkedHashMap<>();
		variables.put("database", name);
		for (String login : List.of("gateway", "inbox", "routing", "billing", "exporter")) {
			variables.put(login + "_user", login + "_" + SUFFIX);
			variables.put(login + "_password", PASSWORD);
		}
		variables.put("audit_owner_user", OWNER);
		variables.put("audit_owner_password", PASSWORD);
		variables.put("audit_app_user", APP);
		variables.put("audit_app_password", PASSWORD);
		Database created = new Database(cluster.host(), cluster.port(), name, cluster.username(), cluster.password());
		try {
			execute(cluster, "CREATE DATABASE " + name);
			execute(created, psqlVariables(Files.readString(initSql()), variables));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			execute(cluster, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
			execute(cluster,
					"DROP ROLE IF EXISTS " + String.join(", ",
							variables.entrySet()
								.stream()
								.filter((variable) -> variable.getKey().endsWith("_user"))
								.map(Map.Entry::getValue)
								.toList()));
		}, "drop-" + name));
		return created;
	}

	/**
	 * What psql does with {@code :'name'} (a literal) and {@code :"name"} (an
	 * identifier).
	 */
	static String psqlVariables(String sql, Map<String, String> variables) {
		Matcher reference = Pattern.compile(":(['\"])([a-z_]+)\\1").matcher(sql);
		StringBuilder result = new StringBuilder();
		while (reference.find()) {
			String value = variables.get(reference.group(2));
			assertThat(value).as("psql variable " + reference.group(2)).isNotNull();
			String quote = reference.group(1);
			reference.appendReplacement(result,
					Matcher.quoteReplacement(quote + value.replace(quote, quote + quote) + quote));
		}
		reference.appendTail(result);
		return result.toString();
	}

	private static Path initSql() {
		Path directory = Path.of("").toAbsolutePath();
		while (!Files.exists(directory.resolve("deploy/postgres/init.sql"))) {
			directory = directory.getParent();
			assertThat(directory).as("deploy/postgres/init.sql above " + Path.of("").toAbsolutePath()).isNotNull();
		}
		return directory.resolve("deploy/postgres/init.sql");
	}

	private static void execute(Database database, String sql) {
		try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.username(),
				database.password()); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(sql.lines().findFirst().orElse(sql) + ": " + ex.getMessage(), ex);
		}
	}

}

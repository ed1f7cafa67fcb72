package dev.switchboard.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * The PostgreSQL the platform runs on: either a private cluster of this run (initdb and
 * pg_ctl of the installed PostgreSQL, on a free port, run as the {@code postgres} user),
 * which the fault suite can restart without disturbing anyone else, or an existing
 * server.
 */
final class Postgres implements AutoCloseable {

	private final String host;

	private final int port;

	private final String username;

	private final String password;

	private final @Nullable Path bin;

	private final @Nullable Path data;

	private final @Nullable Path log;

	private Postgres(String host, int port, String username, String password, @Nullable Path bin, @Nullable Path data,
			@Nullable Path log) {
		this.host = host;
		this.port = port;
		this.username = username;
		this.password = password;
		this.bin = bin;
		this.data = data;
		this.log = log;
	}

	/**
	 * An existing server (not restartable by the suite).
	 * @return the server from the {@code SWITCHBOARD_DB_*} environment
	 */
	static Postgres existing() {
		return new Postgres(env("SWITCHBOARD_DB_HOST", "127.0.0.1"),
				Integer.parseInt(env("SWITCHBOARD_DB_PORT", "5432")), env("SWITCHBOARD_DB_USERNAME", "postgres"),
				env("SWITCHBOARD_DB_PASSWORD", ""), null, null, null);
	}

	/**
	 * A private cluster when this machine can make one (PostgreSQL's binaries are
	 * installed and this process may run them as {@code postgres}), else the existing
	 * server.
	 * @param directory where the cluster's files go
	 * @return the database server
	 */
	static Postgres privateOrExisting(Path directory) {
		Path bin = binaries();
		if (bin == null || !"root".equals(System.getProperty("user.name"))) {
			return existing();
		}
		try {
			Files.createDirectories(directory);
			Path data = directory.resolve("pgdata");
			Path log = directory.resolve("postgres.log");
			Processes.run(directory.resolve("setup.log"),
					List.of("chown", "-R", "postgres:postgres", directory.toString()));
			Processes.run(directory.resolve("setup.log"), List.of("chmod", "755", directory.toString()));
			int port = Processes.freePort();
			Postgres postgres = new Postgres("127.0.0.1", port, "postgres", "", bin, data, log);
			if (postgres.asPostgres(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-A", "trust",
					"-U", "postgres", "--no-sync")) != 0 || !postgres.pgCtl("start")) {
				return existing();
			}
			return postgres;
		}
		catch (IOException ex) {
			return existing();
		}
	}

	/**
	 * @return whether {@link #restart()} can restart this server
	 */
	boolean restartable() {
		return this.bin != null;
	}

	/**
	 * Restarts the server (fast shutdown: open connections are cut).
	 * @return whether it is running again
	 */
	boolean restart() {
		return restartable() && pgCtl("restart");
	}

	private boolean pgCtl(String action) {
		// The webhook path never touches PostgreSQL: the server yields the CPU like the
		// consumers.
		List<String> command = new ArrayList<>(Processes.priority("postgresql"));
		command.addAll(List.of(this.bin.resolve("pg_ctl").toString(), "-D", this.data.toString(), "-l",
				this.log.toString(), "-m", "fast", "-w", "-t", "60", "-o",
				"-p " + this.port
						+ " -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=300"
						+ (statementsTracked() ? " -c shared_preload_libraries=pg_stat_statements" : ""),
				action));
		return asPostgres(command) == 0;
	}

	private int asPostgres(List<String> command) {
		List<String> full = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
		full.addAll(command);
		return Processes.run(this.data.getParent().resolve("setup.log"), full);
	}

	private static @Nullable Path binaries() {
		Path root = Path.of("/usr/lib/postgresql");
		if (!Files.isDirectory(root)) {
			return null;
		}
		try (Stream<Path> versions = Files.list(root)) {
			return versions.map((version) -> version.resolve("bin"))
				.filter((bin) -> Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("pg_ctl")))
				.max(Comparator.comparing((bin) -> bin.getParent().getFileName().toString()))
				.orElse(null);
		}
		catch (IOException ex) {
			return null;
		}
	}

	/**
	 * Creates a fresh database.
	 * @param name its name
	 * @throws SQLException if it cannot
	 */
	void createDatabase(String name) throws SQLException {
		try (Connection connection = DriverManager.getConnection(url("postgres"), this.username, this.password);
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE \"" + name + "\"");
		}
		if (statementsTracked()) {
			try (Connection connection = DriverManager.getConnection(url(name), this.username, this.password);
					Statement statement = connection.createStatement()) {
				statement.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
			}
		}
	}

	void dropDatabase(String name) {
		try (Connection connection = DriverManager.getConnection(url("postgres"), this.username, this.password);
				Statement statement = connection.createStatement()) {
			statement.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
		}
		catch (SQLException ex) {
			// best effort: a leftover database does no harm
		}
	}

	String url(String database) {
		return "jdbc:postgresql://" + this.host + ":" + this.port + "/" + database;
	}

	String host() {
		return this.host;
	}

	int port() {
		return this.port;
	}

	String username() {
		return this.username;
	}

	String password() {
		return this.password;
	}

	/**
	 * The first column of the first row of a query, as a long.
	 * @param database the database
	 * @param sql the query
	 * @param parameters its string parameters
	 * @return the number (0 when no row)
	 */
	long number(String database, String sql, Object... parameters) {
		List<List<String>> rows = rows(database, sql, parameters);
		return (rows.isEmpty() || rows.getFirst().getFirst() == null) ? 0 : Long.parseLong(rows.getFirst().getFirst());
	}

	/**
	 * Every row of a query as strings.
	 * @param database the database
	 * @param sql the query
	 * @param parameters its parameters
	 * @return the rows
	 */
	List<List<String>> rows(String database, String sql, Object... parameters) {
		try (Connection connection = DriverManager.getConnection(url(database), this.username, this.password);
				PreparedStatement statement = connection.prepareStatement(sql)) {
			for (int i = 0; i < parameters.length; i++) {
				statement.setObject(i + 1, parameters[i]);
			}
			try (ResultSet result = statement.executeQuery()) {
				int columns = result.getMetaData().getColumnCount();
				List<List<String>> rows = new ArrayList<>();
				while (result.next()) {
					List<String> row = new ArrayList<>(columns);
					for (int c = 1; c <= columns; c++) {
						row.add(result.getString(c));
					}
					rows.add(row);
				}
				return rows;
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException(sql + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * @return whether the server counts its statements ({@code pg_stat_statements}, in
	 * the private cluster when PostgreSQL ships the module)
	 */
	boolean statementsTracked() {
		return this.bin != null && Files.exists(this.bin.resolveSibling("lib").resolve("pg_stat_statements.so"));
	}

	/**
	 * Forgets the statements counted so far in a database.
	 * @param database the database
	 */
	void resetStatements(String database) {
		rows(database, "SELECT 1 FROM (SELECT pg_stat_statements_reset()) AS reset");
	}

	/**
	 * The statements a database ran since {@link #resetStatements}, most total execution
	 * time first.
	 * @param database the database
	 * @return calls, total and mean execution time in ms, rows, and the statement
	 */
	List<List<String>> statements(String database) {
		return rows(database, """
				SELECT calls, round(total_exec_time::numeric, 1), round(mean_exec_time::numeric, 3), rows,
				       left(regexp_replace(query, '\\s+', ' ', 'g'), 160)
				FROM pg_stat_statements
				WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
				ORDER BY total_exec_time DESC""");
	}

	/**
	 * @return the postmaster's process id when this harness started the server, else -1
	 */
	long pid() {
		if (this.data == null) {
			return -1;
		}
		try {
			return Long.parseLong(Files.readAllLines(this.data.resolve("postmaster.pid")).getFirst().trim());
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}

	@Override
	public void close() {
		if (this.bin != null) {
			asPostgres(List.of(this.bin.resolve("pg_ctl").toString(), "-D", this.data.toString(), "-m", "immediate",
					"-w", "stop"));
		}
	}

	private static String env(String name, String fallback) {
		String value = System.getenv(name);
		return (value != null && !value.isBlank()) ? value : fallback;
	}

}

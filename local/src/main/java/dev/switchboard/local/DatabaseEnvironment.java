package dev.switchboard.local;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The database the local start uses, from the environment: each {@code SWITCHBOARD_DB_*}
 * variable, else PostgreSQL's own {@code PG*} variable (what {@code psql} reads), else
 * the local default.
 */
final class DatabaseEnvironment {

	private DatabaseEnvironment() {
	}

	/**
	 * The database that the environment names.
	 * @param env the environment, e.g. {@link System#getenv()}
	 * @return host, port, database, user and password
	 */
	static Platform.Settings.Database database(Map<String, String> env) {
		String host = value(env, "SWITCHBOARD_DB_HOST", tcpHost(env.get("PGHOST")), "127.0.0.1");
		String port = value(env, "SWITCHBOARD_DB_PORT", env.get("PGPORT"), "5432");
		try {
			return new Platform.Settings.Database(host, Integer.parseInt(port.trim()),
					value(env, "SWITCHBOARD_DB_NAME", env.get("PGDATABASE"), "switchboard"),
					value(env, "SWITCHBOARD_DB_USERNAME", env.get("PGUSER"), "postgres"),
					value(env, "SWITCHBOARD_DB_PASSWORD", env.get("PGPASSWORD"), ""));
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(
					"The database port must be a number (SWITCHBOARD_DB_PORT or PGPORT): " + port, ex);
		}
	}

	// The services connect over TCP (R2DBC, JDBC): a PGHOST that names a Unix-socket
	// directory says nothing about where to connect, so the default applies.
	private static @Nullable String tcpHost(@Nullable String pgHost) {
		return (pgHost == null || pgHost.startsWith("/")) ? null : pgHost;
	}

	private static String value(Map<String, String> env, String name, @Nullable String fallback, String otherwise) {
		String value = env.get(name);
		if (value != null && !value.isBlank()) {
			return value;
		}
		return (fallback != null && !fallback.isBlank()) ? fallback : otherwise;
	}

}

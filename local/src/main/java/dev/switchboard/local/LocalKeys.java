package dev.switchboard.local;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Supplier;

/**
 * Keys a local platform keeps with the database they serve, in a schema of its own
 * ({@code switchboard_local}), one row per table: the first start makes the key, every
 * later start on the same database reads it back. Only the local start does this; a real
 * deployment takes its keys from a secret store, never from next to the data.
 */
final class LocalKeys {

	private LocalKeys() {
	}

	/**
	 * The key kept in {@code switchboard_local.
	 *
	<table>
	 * }, created on first use.
	 * @param database the platform's database
	 * @param table the table (a constant of the caller's)
	 * @param column the key's column (a constant of the caller's)
	 * @param generator makes a new key
	 * @return the stored key
	 * @throws SQLException if the database cannot be reached
	 */
	static String stored(Platform.Settings.Database database, String table, String column, Supplier<String> generator)
			throws SQLException {
		String url = "jdbc:postgresql://" + database.host() + ":" + database.port() + "/" + database.name();
		String qualified = "switchboard_local." + table;
		try (Connection connection = DriverManager.getConnection(url, database.username(), database.password())) {
			try (Statement statement = connection.createStatement()) {
				statement.execute("CREATE SCHEMA IF NOT EXISTS switchboard_local");
				statement.execute("CREATE TABLE IF NOT EXISTS " + qualified + " (id INT PRIMARY KEY CHECK (id = 1), "
						+ column + " TEXT NOT NULL)");
			}
			try (PreparedStatement insert = connection.prepareStatement(
					"INSERT INTO " + qualified + " (id, " + column + ") VALUES (1, ?) ON CONFLICT DO NOTHING")) {
				insert.setString(1, generator.get());
				insert.executeUpdate();
			}
			try (Statement select = connection.createStatement();
					ResultSet row = select.executeQuery("SELECT " + column + " FROM " + qualified)) {
				if (!row.next()) {
					throw new SQLException(qualified + " is empty after the insert");
				}
				return row.getString(1);
			}
		}
	}

}

package dev.switchboard.local;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;

/**
 * The master key of a local platform (SWITCHBOARD_MASTER_KEY for the inbox and the
 * audit), kept with the database whose secrets it encrypts, like {@link LocalSigningKey}:
 * a second {@code ./start-local} on the same database reads what the first sealed. A real
 * deployment sets SWITCHBOARD_MASTER_KEY from its secret store (or a KMS), never next to
 * the data it protects.
 */
final class LocalMasterKey {

	private LocalMasterKey() {
	}

	/**
	 * The database's master key, created on first use.
	 * @param database the platform's database
	 * @return 32 random bytes, base64
	 * @throws SQLException if the database cannot be reached
	 */
	static String of(Platform.Settings.Database database) throws SQLException {
		String url = "jdbc:postgresql://" + database.host() + ":" + database.port() + "/" + database.name();
		try (Connection connection = DriverManager.getConnection(url, database.username(), database.password())) {
			try (Statement statement = connection.createStatement()) {
				statement.execute("CREATE SCHEMA IF NOT EXISTS switchboard_local");
				statement.execute("""
						CREATE TABLE IF NOT EXISTS switchboard_local.master_key (
						    id   INT PRIMARY KEY CHECK (id = 1),
						    key  TEXT NOT NULL
						)""");
			}
			try (PreparedStatement insert = connection.prepareStatement(
					"INSERT INTO switchboard_local.master_key (id, key) VALUES (1, ?) ON CONFLICT DO NOTHING")) {
				insert.setString(1, generate());
				insert.executeUpdate();
			}
			try (Statement select = connection.createStatement();
					ResultSet row = select.executeQuery("SELECT key FROM switchboard_local.master_key")) {
				if (!row.next()) {
					throw new SQLException("switchboard_local.master_key is empty after the insert");
				}
				return row.getString(1);
			}
		}
	}

	private static String generate() {
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		return Base64.getEncoder().encodeToString(key);
	}

}

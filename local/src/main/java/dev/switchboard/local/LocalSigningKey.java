package dev.switchboard.local;

import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;

/**
 * The audit log's signing key of a local platform, kept with the database it signs for.
 * Without a configured key the audit service signs with a key of its own run, so a second
 * {@code ./start-local} on the same database could no longer verify the tree heads of the
 * first and reported the log as failed. The local start keeps one Ed25519 key per
 * database, in a schema of its own ({@code switchboard_local}); a real deployment sets
 * {@code SWITCHBOARD_AUDIT_SIGNING_KEY} from its secret store instead, never next to the
 * log it protects.
 */
final class LocalSigningKey {

	private LocalSigningKey() {
	}

	/**
	 * The database's audit signing key, created on first use.
	 * @param database the platform's database
	 * @return the private key, PKCS#8, base64
	 * @throws SQLException if the database cannot be reached
	 */
	static String of(Platform.Settings.Database database) throws SQLException {
		String url = "jdbc:postgresql://" + database.host() + ":" + database.port() + "/" + database.name();
		try (Connection connection = DriverManager.getConnection(url, database.username(), database.password())) {
			try (Statement statement = connection.createStatement()) {
				statement.execute("CREATE SCHEMA IF NOT EXISTS switchboard_local");
				statement.execute("""
						CREATE TABLE IF NOT EXISTS switchboard_local.audit_signing_key (
						    id     INT PRIMARY KEY CHECK (id = 1),
						    pkcs8  TEXT NOT NULL
						)""");
			}
			try (PreparedStatement insert = connection.prepareStatement(
					"INSERT INTO switchboard_local.audit_signing_key (id, pkcs8) VALUES (1, ?) ON CONFLICT DO NOTHING")) {
				insert.setString(1, generate());
				insert.executeUpdate();
			}
			try (Statement select = connection.createStatement();
					ResultSet row = select.executeQuery("SELECT pkcs8 FROM switchboard_local.audit_signing_key")) {
				if (!row.next()) {
					throw new SQLException("switchboard_local.audit_signing_key is empty after the insert");
				}
				return row.getString(1);
			}
		}
	}

	private static String generate() {
		try {
			return Base64.getEncoder()
				.encodeToString(KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate().getEncoded());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("This JDK cannot generate Ed25519 keys", ex);
		}
	}

}

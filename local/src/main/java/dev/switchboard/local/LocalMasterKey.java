package dev.switchboard.local;

import java.security.SecureRandom;
import java.sql.SQLException;
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
		return LocalKeys.stored(database, "master_key", "key", LocalMasterKey::generate);
	}

	static String generate() {
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		return Base64.getEncoder().encodeToString(key);
	}

}

package dev.switchboard.local;

import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.sql.SQLException;
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
		return LocalKeys.stored(database, "audit_signing_key", "pkcs8", LocalSigningKey::generate);
	}

	static String generate() {
		try {
			return Base64.getEncoder()
				.encodeToString(KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate().getEncoded());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("This JDK cannot generate Ed25519 keys", ex);
		}
	}

}

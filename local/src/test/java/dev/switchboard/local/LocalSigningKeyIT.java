package dev.switchboard.local;

import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import dev.switchboard.testsupport.Database;
import dev.switchboard.testsupport.RealInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local platform's audit signing key against the real PostgreSQL: one key per
 * database, the same on every start, so that a restarted audit service still verifies the
 * tree heads the previous run signed.
 */
class LocalSigningKeyIT {

	@Test
	void whenThePlatformStartsAgainOnTheSameDatabaseThenTheAuditServiceGetsTheSameEd25519Key() throws Exception {
		Database db = RealInfrastructure.get().database();
		Platform.Settings.Database database = new Platform.Settings.Database(db.host(), db.port(), db.name(),
				db.username(), db.password());

		String first = LocalSigningKey.of(database);
		String second = LocalSigningKey.of(database);

		assertThat(second).isEqualTo(first);
		PrivateKey key = KeyFactory.getInstance("Ed25519")
			.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(first)));
		assertThat(key.getAlgorithm()).isIn("Ed25519", "EdDSA");
	}

}

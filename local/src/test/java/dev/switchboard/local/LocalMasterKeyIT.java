package dev.switchboard.local;

import java.util.Base64;

import org.junit.jupiter.api.Test;

import dev.switchboard.testsupport.Database;
import dev.switchboard.testsupport.RealInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local platform's master key against the real PostgreSQL: one key per database, the
 * same on every start, so that a restarted inbox still reads the CRM secrets and the
 * audit the contact keys that the previous run sealed.
 */
class LocalMasterKeyIT {

	@Test
	void whenThePlatformStartsAgainOnTheSameDatabaseThenTheServicesGetTheSameMasterKey() throws Exception {
		Database db = RealInfrastructure.get().database();
		Platform.Settings.Database database = new Platform.Settings.Database(db.host(), db.port(), db.name(),
				db.username(), db.password());

		String first = LocalMasterKey.of(database);
		String second = LocalMasterKey.of(database);

		assertThat(second).isEqualTo(first);
		assertThat(Base64.getDecoder().decode(first)).hasSize(32);
	}

}

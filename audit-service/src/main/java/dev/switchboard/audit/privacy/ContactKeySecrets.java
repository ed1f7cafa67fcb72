package dev.switchboard.audit.privacy;

import java.util.List;
import java.util.UUID;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.switchboard.support.secrets.SealPlaintextMigration;
import dev.switchboard.support.secrets.SealedColumn;
import dev.switchboard.support.secrets.Secrets;

/**
 * Contact keys at rest: each sealed under the master key
 * ({@code contact_key.key_sealed}), bound to its tenant and key id. Erasure sets the
 * column NULL, destroying the envelope and with it the only copy of the key.
 */
@Configuration(proxyBeanMethods = false)
class ContactKeySecrets {

	static final SealedColumn COLUMN = new SealedColumn("contact_key", "key_sealed", "tenant_id", "key_id",
			"audit.contact-key");

	private final Secrets secrets;

	ContactKeySecrets(Secrets secrets) {
		this.secrets = secrets;
	}

	byte[] seal(String tenantId, UUID keyId, byte[] key) {
		return this.secrets.seal(key, COLUMN.context(tenantId, keyId));
	}

	byte[] open(String tenantId, UUID keyId, byte[] sealed) {
		return this.secrets.open(sealed, COLUMN.context(tenantId, keyId));
	}

	/** Makes the service need the master key and lets its rewrap find the column. */
	@Bean
	static SealedColumn contactKeyColumn() {
		return COLUMN;
	}

	/**
	 * V5: the keys that V3 stored in the clear are sealed in place and the plaintext
	 * column is dropped, in one transaction; erased keys stay NULL.
	 */
	@Bean
	static SealPlaintextMigration sealContactKeysMigration(Secrets secrets) {
		return new SealPlaintextMigration("5", "seal contact keys", secrets, COLUMN, "key",
				List.of("ALTER TABLE contact_key ADD CONSTRAINT contact_key_erased "
						+ "CHECK ((key_sealed IS NULL) = (erased_at IS NOT NULL))",
						"COMMENT ON COLUMN contact_key.key_sealed IS "
								+ "'The AES-256 key, envelope-encrypted under the master key; NULL once erased'"));
	}

}

package dev.switchboard.inbox.integration;

import java.util.List;
import java.util.UUID;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.switchboard.support.secrets.SealPlaintextMigration;
import dev.switchboard.support.secrets.SealedColumn;
import dev.switchboard.support.secrets.SecretUnreadableException;
import dev.switchboard.support.secrets.Secrets;

/**
 * CRM subscription secrets at rest: sealed under the master key
 * ({@code crm_subscription.secret_sealed}), bound to the subscription's tenant and id.
 * The worker opens a secret only to sign a delivery.
 */
@Configuration(proxyBeanMethods = false)
class CrmSecrets {

	static final SealedColumn COLUMN = new SealedColumn("crm_subscription", "secret_sealed", "tenant_id", "id",
			"inbox.crm-subscription.secret");

	private final Secrets secrets;

	CrmSecrets(Secrets secrets) {
		this.secrets = secrets;
	}

	byte[] seal(String tenantId, UUID subscriptionId, String secret) {
		return this.secrets.seal(secret, COLUMN.context(tenantId, subscriptionId));
	}

	/**
	 * A subscription's signing secret.
	 * @throws SecretUnreadableException if it cannot be decrypted (its master key is not
	 * configured, or the row was changed)
	 */
	String open(String tenantId, UUID subscriptionId, byte[] sealed) {
		return this.secrets.openString(sealed, COLUMN.context(tenantId, subscriptionId));
	}

	/** Makes the service need the master key and lets its rewrap find the column. */
	@Bean
	static SealedColumn crmSubscriptionSecretColumn() {
		return COLUMN;
	}

	/**
	 * V5: the secrets that V4 stored as issued are sealed in place and the plaintext
	 * column is dropped, in one transaction.
	 */
	@Bean
	static SealPlaintextMigration sealCrmSecretsMigration(Secrets secrets) {
		return new SealPlaintextMigration("5", "seal crm secrets", secrets, COLUMN, "secret", List.of(
				"ALTER TABLE crm_subscription ALTER COLUMN secret_sealed SET NOT NULL",
				"COMMENT ON COLUMN crm_subscription.secret_sealed IS "
						+ "'The signing secret, envelope-encrypted under the master key (dev.switchboard.support.secrets)'"));
	}

}

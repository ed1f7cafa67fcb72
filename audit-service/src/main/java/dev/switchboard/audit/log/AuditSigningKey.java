package dev.switchboard.audit.log;

import java.util.Base64;

import org.jspecify.annotations.Nullable;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import dev.switchboard.support.secrets.MissingSecretException;
import dev.switchboard.support.secrets.SecretContext;
import dev.switchboard.support.secrets.Secrets;

/**
 * The tree heads' signing key from configuration ({@code switchboard.audit.signing-key},
 * {@code SWITCHBOARD_AUDIT_SIGNING_KEY}): an Ed25519 PKCS#8 key in base64, or
 * {@code sealed:} and the base64 of an envelope under the master key ({@link #CONTEXT}),
 * so the key need not sit in the clear in the deployment's configuration. Outside the
 * {@code local} profile the service does not start without it: a key of one run would
 * make the heads it signed unverifiable after a restart.
 */
@Component
public class AuditSigningKey {

	/** What a sealed signing key is bound to. */
	public static final SecretContext CONTEXT = new SecretContext("audit.signing-key", "", "tree-heads");

	static final String SEALED_PREFIX = "sealed:";

	private final @Nullable String pkcs8;

	AuditSigningKey(AuditProperties properties, Environment environment, Secrets secrets) {
		String configured = properties.signingKey();
		if (configured == null || configured.isBlank()) {
			if (!environment.matchesProfiles("local")) {
				throw new MissingSecretException("SWITCHBOARD_AUDIT_SIGNING_KEY",
						"No audit signing key: SWITCHBOARD_AUDIT_SIGNING_KEY (switchboard.audit.signing-key) is not set. "
								+ "Tree heads signed with a key of one run cannot be verified after a restart.",
						"Set SWITCHBOARD_AUDIT_SIGNING_KEY from your secret store to an Ed25519 private key, PKCS#8 "
								+ "in base64 (openssl genpkey -algorithm ed25519 -outform DER | base64 -w0), or to "
								+ "\"sealed:\" and that key sealed under the master key (see docs/operations.md). "
								+ "./start-local sets one per database.");
			}
			this.pkcs8 = null;
		}
		else if (configured.strip().startsWith(SEALED_PREFIX)) {
			byte[] sealed = Base64.getDecoder().decode(configured.strip().substring(SEALED_PREFIX.length()));
			this.pkcs8 = secrets.openString(sealed, CONTEXT).strip();
		}
		else {
			this.pkcs8 = configured.strip();
		}
	}

	/**
	 * The private key.
	 * @return PKCS#8, base64; null only under the local profile without a key
	 */
	@Nullable String pkcs8() {
		return this.pkcs8;
	}

}

package dev.switchboard.audit.log;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the audit log.
 *
 * @param signingKey the Ed25519 private key (PKCS#8, base64, or {@code sealed:} and an
 * envelope under the master key) that signs tree heads; required outside the
 * {@code local} profile, where without one a key is generated at start and its tree heads
 * are verifiable only until the service stops ({@link AuditSigningKey})
 * @param trustedPublicKeys earlier public keys (X.509, base64) whose tree heads still
 * verify
 * @param treeHeadInterval how often new entries are covered by a signed tree head: the
 * longest an entry stays unprotected
 */
@ConfigurationProperties("switchboard.audit")
record AuditProperties(@Nullable String signingKey, @DefaultValue List<String> trustedPublicKeys,
		@DefaultValue("10s") Duration treeHeadInterval) {

}

package dev.switchboard.audit.log;

import java.time.Duration;
import java.util.Base64;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

import dev.switchboard.support.secrets.MasterKey;
import dev.switchboard.support.secrets.MissingSecretException;
import dev.switchboard.support.secrets.Secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class AuditSigningKeyTests {

	private static final String PKCS8 = "MC4CAQAwBQYDK2VwBCIEIHzBSXVl01LXfpm/mpvmig9zf76ZnSTbQPs1MT02jbI5";

	private final Secrets secrets = new Secrets(MasterKey.of(MasterKey.generate(), List.of()),
			new SimpleMeterRegistry());

	@Test
	void whenNoSigningKeyIsSetOutsideTheLocalProfileThenTheServiceRefusesToStartNamingIt() {
		assertThatExceptionOfType(MissingSecretException.class)
			.isThrownBy(() -> new AuditSigningKey(properties(null), new MockEnvironment(), this.secrets))
			.withMessageContaining("SWITCHBOARD_AUDIT_SIGNING_KEY")
			.satisfies((ex) -> assertThat(ex.action()).contains("openssl genpkey -algorithm ed25519"));
	}

	@Test
	void whenNoSigningKeyIsSetUnderTheLocalProfileThenTheRunSignsWithItsOwn() throws Exception {
		MockEnvironment local = new MockEnvironment();
		local.setActiveProfiles("local");

		AuditSigningKey key = new AuditSigningKey(properties(" "), local, this.secrets);

		assertThat(key.pkcs8()).isNull();
		assertThat(new TreeHeadSigner(properties(null), key).keyId()).hasSize(16);
	}

	@Test
	void whenTheSigningKeyIsGivenPlainOrSealedThenTheSameKeySigns() throws Exception {
		String sealed = AuditSigningKey.SEALED_PREFIX
				+ Base64.getEncoder().encodeToString(this.secrets.seal(PKCS8, AuditSigningKey.CONTEXT));

		AuditSigningKey plain = new AuditSigningKey(properties(PKCS8), new MockEnvironment(), this.secrets);
		AuditSigningKey unsealed = new AuditSigningKey(properties(sealed), new MockEnvironment(), this.secrets);

		assertThat(plain.pkcs8()).isEqualTo(PKCS8);
		assertThat(unsealed.pkcs8()).isEqualTo(PKCS8);
		assertThat(new TreeHeadSigner(properties(null), unsealed).keyId())
			.isEqualTo(new TreeHeadSigner(properties(null), plain).keyId());
	}

	private static AuditProperties properties(String signingKey) {
		return new AuditProperties(signingKey, List.of(), Duration.ofSeconds(10));
	}

}

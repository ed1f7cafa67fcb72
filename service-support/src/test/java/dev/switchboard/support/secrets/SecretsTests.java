package dev.switchboard.support.secrets;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SecretsTests {

	private static final SecretContext ROW = new SecretContext("test.secret", "tenant-a", "row-1");

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final String k1 = MasterKey.generate();

	private final String k2 = MasterKey.generate();

	@Test
	void whenSealedThenOpensToThePlaintextAndDoesNotContainIt() {
		Secrets secrets = secrets(this.k1);

		byte[] sealed = secrets.seal("whsec_very-secret-value", ROW);

		assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("very-secret");
		assertThat(secrets.openString(sealed, ROW)).isEqualTo("whsec_very-secret-value");
		assertThat(secrets.seal("whsec_very-secret-value", ROW)).as("a new data key and nonce each time")
			.isNotEqualTo(sealed);
	}

	@Test
	void whenOpenedForAnotherRowThenItFailsAndIsCounted() {
		Secrets secrets = secrets(this.k1);
		byte[] sealed = secrets.seal("secret", ROW);

		for (SecretContext other : List.of(new SecretContext("test.secret", "tenant-b", "row-1"),
				new SecretContext("test.secret", "tenant-a", "row-2"),
				new SecretContext("other.secret", "tenant-a", "row-1"))) {
			assertThatExceptionOfType(SecretUnreadableException.class).isThrownBy(() -> secrets.open(sealed, other))
				.withMessageContaining("could not be decrypted");
		}
		assertThat(this.meters.counter(Secrets.DECRYPT_FAILURES, "purpose", "test.secret").count()).isEqualTo(2);
		assertThat(this.meters.counter(Secrets.DECRYPT_FAILURES, "purpose", "other.secret").count()).isEqualTo(1);
	}

	@Test
	void whenAnyByteIsChangedThenItFails() {
		Secrets secrets = secrets(this.k1);
		byte[] sealed = secrets.seal("secret", ROW);

		for (int i = 0; i < sealed.length; i++) {
			byte[] tampered = sealed.clone();
			tampered[i] ^= 0x01;
			assertThatExceptionOfType(SecretUnreadableException.class).isThrownBy(() -> secrets.open(tampered, ROW));
		}
		byte[] cut = Arrays.copyOf(sealed, sealed.length - 1);
		assertThatExceptionOfType(SecretUnreadableException.class).isThrownBy(() -> secrets.open(cut, ROW));
	}

	@Test
	void whenTheMasterKeyIsRotatedThenOldEnvelopesReadUntilRewrappedAndAfter() {
		byte[] underK1 = secrets(this.k1).seal("secret", ROW);

		Secrets rotating = new Secrets(MasterKey.of(this.k2, List.of(this.k1)), this.meters);
		assertThat(rotating.openString(underK1, ROW)).isEqualTo("secret");
		assertThat(rotating.underPrimary(underK1)).isFalse();

		byte[] underK2 = rotating.rewrap(underK1, ROW);
		assertThat(underK2).isNotNull();
		assertThat(rotating.underPrimary(underK2)).isTrue();
		assertThat(rotating.rewrap(underK2, ROW)).as("already under the primary").isNull();

		Secrets onlyK2 = secrets(this.k2);
		assertThat(onlyK2.openString(underK2, ROW)).isEqualTo("secret");
		assertThatExceptionOfType(SecretUnreadableException.class).isThrownBy(() -> onlyK2.open(underK1, ROW))
			.havingCause()
			.withMessageContaining("is not configured");
	}

	@Test
	void whenOpenedWithAnotherMasterKeyThenItFails() {
		byte[] sealed = secrets(this.k1).seal("secret", ROW);

		assertThatExceptionOfType(SecretUnreadableException.class).isThrownBy(() -> secrets(this.k2).open(sealed, ROW));
	}

	@Test
	void whenTheMasterKeyIsNotThirtyTwoBytesOfBase64ThenItIsRefusedWithHowToMakeOne() {
		assertThatIllegalArgumentException().isThrownBy(() -> MasterKey.of("not base64!", List.of()))
			.withMessageContaining("SWITCHBOARD_MASTER_KEY")
			.withMessageContaining("openssl rand -base64 32");
		assertThatIllegalArgumentException().isThrownBy(() -> MasterKey.of("c2hvcnQ=", List.of()))
			.withMessageContaining("must be 32 bytes");
	}

	@Test
	void whenTheSameKeyIsConfiguredTwiceThenItHasOneStableId() {
		MasterKey key = MasterKey.of(this.k1, List.of(this.k1, this.k2));

		assertThat(key.primaryId()).isEqualTo(MasterKey.of(this.k1, List.of()).primaryId()).startsWith("mk-");
		assertThat(key.keyIds()).hasSize(2);
	}

	private Secrets secrets(String masterKey) {
		return new Secrets(MasterKey.of(masterKey, List.of()), this.meters);
	}

}

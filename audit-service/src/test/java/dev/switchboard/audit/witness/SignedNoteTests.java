package dev.switchboard.audit.witness;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SignedNoteTests {

	/**
	 * The example of Go's golang.org/x/mod/sumdb/note: Ed25519 is deterministic, so the
	 * same key and text must give this note byte for byte.
	 */
	private static final String GO_TEXT = "If you think cryptography is the answer to your problem,\n"
			+ "then you don't know what your problem is.\n";

	private static final String GO_NOTE = GO_TEXT + "\n"
			+ "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

	private static final String GO_VERIFIER_KEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";

	private static final String GO_SIGNER_KEY_MATERIAL = "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";

	@Test
	void whenSigningGosExampleThenTheNoteIsGosByteForByte() throws Exception {
		byte[] seed = Arrays.copyOfRange(Base64.getDecoder().decode(GO_SIGNER_KEY_MATERIAL), 1, 33);
		PrivateKey privateKey = KeyFactory.getInstance("Ed25519")
			.generatePrivate(
					new PKCS8EncodedKeySpec(concat(HexFormat.of().parseHex("302e020100300506032b657004220420"), seed)));
		PublicKey publicKey = goPublicKey();

		assertThat(SignedNote.verifierKey("PeterNeumann", publicKey)).isEqualTo(GO_VERIFIER_KEY);
		assertThat(HexFormat.of().formatHex(SignedNote.keyId("PeterNeumann", publicKey))).isEqualTo("c74f20a3");
		assertThat(SignedNote.sign(GO_TEXT, "PeterNeumann", publicKey, (bytes) -> sign(privateKey, bytes)))
			.isEqualTo(GO_NOTE);
	}

	@Test
	void whenOpeningGosExampleThenItVerifiesAndAChangedTextDoesNot() {
		PublicKey key = goPublicKey();
		SignedNote.Opened note = SignedNote.parse(GO_NOTE);
		assertThat(note.text()).isEqualTo(GO_TEXT);
		assertThat(note.verifies("PeterNeumann", key)).isTrue();
		assertThat(note.verifies("EnochRoot", key)).isFalse();
		assertThat(SignedNote.parse(GO_NOTE.replace("cryptography", "cryptographY")).verifies("PeterNeumann", key))
			.isFalse();
	}

	@Test
	void whenACheckpointIsSignedThenItParsesBackAndVerifiesOnlyWithItsKey() throws Exception {
		KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
		byte[] root = new byte[32];
		root[0] = 1;
		Checkpoint checkpoint = new Checkpoint(Checkpoint.originOf("switchboard.dev/audit", "demo tenant+1"), 42, root);
		assertThat(checkpoint.origin()).isEqualTo("switchboard.dev/audit/demo%20tenant%2B1");
		assertThat(checkpoint.text())
			.isEqualTo("switchboard.dev/audit/demo%20tenant%2B1\n42\nAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n");

		String note = SignedNote.sign(checkpoint.text(), checkpoint.origin(), pair.getPublic(),
				(bytes) -> sign(pair.getPrivate(), bytes));
		SignedNote.Opened opened = SignedNote.parse(note);
		assertThat(Checkpoint.parse(opened.text())).isEqualTo(checkpoint);
		assertThat(opened.verifies(checkpoint.origin(), pair.getPublic())).isTrue();
		assertThat(opened.verifies(checkpoint.origin(),
				KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic()))
			.isFalse();
	}

	@Test
	void whenTextIsNotACheckpointThenParsingRefusesIt() {
		assertThatIllegalArgumentException().isThrownBy(() -> Checkpoint.parse("origin\n42\n"));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Checkpoint.parse("origin\n042\nAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"));
		assertThatIllegalArgumentException().isThrownBy(() -> Checkpoint.parse("origin\n42\nAQ==\n"));
		assertThatIllegalArgumentException().isThrownBy(() -> SignedNote.parse("text without signatures\n"));
		assertThatIllegalArgumentException().isThrownBy(() -> SignedNote.parse("text\n\nnot a signature\n"));
	}

	private static PublicKey goPublicKey() {
		String material = GO_VERIFIER_KEY.substring(GO_VERIFIER_KEY.lastIndexOf('+') + 1);
		return SignedNote.ed25519(Arrays.copyOfRange(Base64.getDecoder().decode(material), 1, 33));
	}

	private static byte[] sign(PrivateKey key, byte[] bytes) {
		try {
			Signature signature = Signature.getInstance("Ed25519");
			signature.initSign(key);
			signature.update(bytes);
			return signature.sign();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static byte[] concat(byte[] first, byte[] second) {
		byte[] both = Arrays.copyOf(first, first.length + second.length);
		System.arraycopy(second, 0, both, first.length, second.length);
		return both;
	}

}

package dev.switchboard.inbox.integration;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class CrmSignatureTests {

	// The Standard Webhooks libraries' published vector
	// (standard-webhooks/standard-webhooks, libraries/*/ tests: "sign works").
	private static final String SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

	private static final String SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";

	private static final long SPEC_TIMESTAMP = 1614265330;

	private static final String SPEC_BODY = "{\"test\": 2432232314}";

	private static final String SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

	@Test
	void whenTheSpecsVectorIsSignedThenTheSpecsSignatureComesOut() {
		assertThat(CrmSignature.sign(SPEC_SECRET, SPEC_ID, SPEC_TIMESTAMP, bytes(SPEC_BODY))).isEqualTo(SPEC_SIGNATURE);
	}

	@Test
	void whenASecretIsIssuedThenItIsWhsecAndBase64Of32RandomBytes() {
		String secret = CrmSignature.newSecret();
		assertThat(secret).startsWith("whsec_").matches("whsec_[A-Za-z0-9+/]{43}=");
		assertThat(CrmSignature.key(secret)).hasSize(32);
		assertThat(CrmSignature.newSecret()).isNotEqualTo(secret);
	}

	@Test
	void whenAReceiverVerifiesAsTheSpecSaysThenOnlyTheSignedIdTimestampAndBodyPass() {
		String secret = CrmSignature.newSecret();
		String body = "{\"id\":\"7c1f0e1e-3f7a-4f0e-9a4e-0c1d2e3f4a5b\",\"type\":\"MESSAGE_RECEIVED\"}";
		String id = "7c1f0e1e-3f7a-4f0e-9a4e-0c1d2e3f4a5b";
		String signature = CrmSignature.sign(secret, id, 1764950400, bytes(body));
		assertThat(signature).startsWith("v1,");
		assertThat(verify(secret, id, "1764950400", body, signature)).isTrue();
		// The scheme's header may carry several signatures, space-delimited.
		assertThat(verify(secret, id, "1764950400", body, "v1,bm90IGl0 " + signature)).isTrue();
		assertThat(verify(secret, id, "1764950401", body, signature)).isFalse();
		assertThat(verify(secret, id + "x", "1764950400", body, signature)).isFalse();
		assertThat(verify(secret, id, "1764950400", body + " ", signature)).isFalse();
		assertThat(verify(CrmSignature.newSecret(), id, "1764950400", body, signature)).isFalse();
	}

	@Test
	void whenTheIdCouldBeConfusedWithTheDelimiterThenNothingIsSigned() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> CrmSignature.sign(SPEC_SECRET, "a.b", SPEC_TIMESTAMP, bytes(SPEC_BODY)));
		assertThatIllegalArgumentException().isThrownBy(
				() -> CrmSignature.sign("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", SPEC_ID, SPEC_TIMESTAMP, bytes(SPEC_BODY)));
	}

	/** A receiver's check, written from the spec, as the docs show it. */
	private static boolean verify(String secret, String id, String timestamp, String body, String header) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
			byte[] expected = mac.doFinal(bytes(id + "." + timestamp + "." + body));
			for (String candidate : header.split(" ")) {
				if (candidate.startsWith("v1,")
						&& MessageDigest.isEqual(expected, Base64.getDecoder().decode(candidate.substring(3)))) {
					return true;
				}
			}
			return false;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}

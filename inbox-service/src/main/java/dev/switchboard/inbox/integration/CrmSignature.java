package dev.switchboard.inbox.integration;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signing secrets and the {@code X-Switchboard-Signature} header:
 * {@code sha256=<hex HMAC-SHA256 of the raw body, keyed with the secret's UTF-8 bytes>}.
 */
final class CrmSignature {

	static final String HEADER = "X-Switchboard-Signature";

	private static final SecureRandom RANDOM = new SecureRandom();

	private CrmSignature() {
	}

	/**
	 * A new signing secret: 32 random bytes, hex, with a {@code whsec_} prefix.
	 * @return the secret
	 */
	static String newSecret() {
		byte[] bytes = new byte[32];
		RANDOM.nextBytes(bytes);
		return "whsec_" + HexFormat.of().formatHex(bytes);
	}

	/**
	 * The signature header's value for a body.
	 * @param secret the subscription's secret
	 * @param body the exact bytes sent
	 * @return {@code sha256=<hex>}
	 */
	static String sign(String secret, byte[] body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is part of every JDK", ex);
		}
	}

}

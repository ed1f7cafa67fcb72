package dev.switchboard.inbox.integration;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signing secrets and signatures in the Standard Webhooks scheme
 * (https://www.standardwebhooks.com/): the secret is {@code whsec_<base64 key>}, and
 * {@code webhook-signature} is {@code v1,<base64 HMAC-SHA256 of
 * "{webhook-id}.{webhook-timestamp}.{body}">} keyed with the decoded key, so the
 * timestamp and id are signed with the body and a receiver can refuse replays.
 */
final class CrmSignature {

	static final String ID_HEADER = "webhook-id";

	static final String TIMESTAMP_HEADER = "webhook-timestamp";

	static final String SIGNATURE_HEADER = "webhook-signature";

	static final String SECRET_PREFIX = "whsec_";

	private static final SecureRandom RANDOM = new SecureRandom();

	private CrmSignature() {
	}

	/**
	 * A new signing secret: 32 random bytes (the scheme asks for 24 to 64), base64, with
	 * the {@code whsec_} prefix.
	 * @return the secret
	 */
	static String newSecret() {
		byte[] bytes = new byte[32];
		RANDOM.nextBytes(bytes);
		return SECRET_PREFIX + Base64.getEncoder().encodeToString(bytes);
	}

	/**
	 * The HMAC key of a secret: the base64 after {@code whsec_}, decoded, as every
	 * Standard Webhooks library reads it.
	 * @param secret the subscription's secret
	 * @return the key
	 * @throws IllegalArgumentException if the secret is not in that form
	 */
	static byte[] key(String secret) {
		// Hex secrets are valid base64 too: they sign with the bytes a receiver decodes.
		if (!secret.startsWith(SECRET_PREFIX)) {
			throw new IllegalArgumentException("A signing secret starts with " + SECRET_PREFIX);
		}
		byte[] key = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
		if (key.length == 0) {
			throw new IllegalArgumentException("A signing secret has a key after " + SECRET_PREFIX);
		}
		return key;
	}

	/**
	 * The {@code webhook-signature} header's value.
	 * @param secret the subscription's secret ({@code whsec_...})
	 * @param id the {@code webhook-id}: the same on every attempt, without a full stop
	 * @param timestamp the {@code webhook-timestamp}, in Unix seconds
	 * @param body the exact bytes sent
	 * @return {@code v1,<base64>}
	 */
	static String sign(String secret, String id, long timestamp, byte[] body) {
		if (id.isEmpty() || id.indexOf('.') >= 0) {
			// The id is delimited by a full stop in what is signed.
			throw new IllegalArgumentException("A webhook id is not empty and has no '.': " + id);
		}
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(key(secret), "HmacSHA256"));
			mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
			return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is part of every JDK", ex);
		}
	}

}

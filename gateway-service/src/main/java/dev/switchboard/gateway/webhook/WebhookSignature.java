package dev.switchboard.gateway.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;

/**
 * Meta's {@code X-Hub-Signature-256}: {@code sha256=} and the hex HMAC-SHA256 of the raw
 * request body, keyed with the app secret.
 */
final class WebhookSignature {

	private static final String PREFIX = "sha256=";

	private WebhookSignature() {
	}

	static boolean isWellFormed(@Nullable String header) {
		return header != null && header.length() == PREFIX.length() + 64 && header.startsWith(PREFIX);
	}

	/**
	 * Finds which of the app secrets signed the body. Every secret is tried, each
	 * compared in constant time, so the time taken does not say which one (if any)
	 * matched.
	 * @param appSecrets the candidate app secrets
	 * @param body the raw body, exactly as received
	 * @param header the header value, well formed
	 * @return the secret that signed the body, if one did
	 */
	static Optional<String> signer(Collection<String> appSecrets, byte[] body, String header) {
		byte[] given;
		try {
			given = HexFormat.of().parseHex(header.substring(PREFIX.length()));
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
		@Nullable String match = null;
		for (String secret : appSecrets) {
			if (MessageDigest.isEqual(hmac(secret, body), given) && match == null) {
				match = secret;
			}
		}
		return Optional.ofNullable(match);
	}

	private static byte[] hmac(String secret, byte[] body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			return mac.doFinal(body);
		}
		catch (NoSuchAlgorithmException | InvalidKeyException ex) {
			throw new IllegalStateException("HmacSHA256 is part of every JDK", ex);
		}
	}

}

package dev.switchboard.benchmark;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;

/**
 * The gateway's internal identity key for one run, as the local start makes it: the
 * gateway signs with the private EC P-256 JWK, the services verify with the public JWK
 * set. Written with the JDK alone: the harness does not carry a JOSE library.
 *
 * @param signingKey the private JWK, for {@code SWITCHBOARD_IDENTITY_SIGNING_KEY}
 * @param jwks the public JWK set, for {@code SWITCHBOARD_IDENTITY_JWKS}
 */
record IdentityKeys(String signingKey, String jwks) {

	static IdentityKeys generate() throws GeneralSecurityException {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		generator.initialize(new ECGenParameterSpec("secp256r1"));
		KeyPair pair = generator.generateKeyPair();
		ECPublicKey publicKey = (ECPublicKey) pair.getPublic();
		ECPrivateKey privateKey = (ECPrivateKey) pair.getPrivate();
		String common = "\"kty\":\"EC\",\"crv\":\"P-256\",\"use\":\"sig\",\"alg\":\"ES256\",\"kid\":\"benchmark-%s\",\"x\":\"%s\",\"y\":\"%s\""
			.formatted(UUID.randomUUID(), coordinate(publicKey.getW().getAffineX()),
					coordinate(publicKey.getW().getAffineY()));
		return new IdentityKeys("{" + common + ",\"d\":\"" + coordinate(privateKey.getS()) + "\"}",
				"{\"keys\":[{" + common + "}]}");
	}

	/** A P-256 field element as JWK wants it: 32 bytes, big-endian, base64url. */
	private static String coordinate(BigInteger value) {
		byte[] bytes = value.toByteArray();
		byte[] fixed = new byte[32];
		int length = Math.min(bytes.length, 32);
		System.arraycopy(bytes, bytes.length - length, fixed, 32 - length, length);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(fixed, 32));
	}

}

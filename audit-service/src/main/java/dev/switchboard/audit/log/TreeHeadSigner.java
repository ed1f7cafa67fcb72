package dev.switchboard.audit.log;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Signs tree heads with the audit key (Ed25519) and verifies them with it or an earlier
 * trusted key. A tree head signs
 * {@code tenant \n size \n root (hex) \n signed-at (epoch microseconds)}.
 */
@Component
public class TreeHeadSigner {

	private static final Logger logger = LoggerFactory.getLogger(TreeHeadSigner.class);

	private final PrivateKey privateKey;

	private final PublicKey publicKey;

	private final String keyId;

	private final Map<String, PublicKey> trusted = new HashMap<>();

	TreeHeadSigner(AuditProperties properties, AuditSigningKey signingKey) throws GeneralSecurityException {
		KeyFactory keys = KeyFactory.getInstance("Ed25519");
		String configured = signingKey.pkcs8();
		if (configured != null) {
			this.privateKey = keys.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(configured)));
			this.publicKey = derivePublic(this.privateKey);
		}
		else {
			// Only under the local profile (AuditSigningKey refuses to start otherwise).
			logger.warn("No switchboard.audit.signing-key: tree heads are signed with a key generated for this run");
			KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
			this.privateKey = pair.getPrivate();
			this.publicKey = pair.getPublic();
		}
		byte[] probe = signedBytes("probe", 0, new byte[32], Instant.EPOCH);
		Signature check = Signature.getInstance("Ed25519");
		check.initVerify(this.publicKey);
		check.update(probe);
		Signature sign = Signature.getInstance("Ed25519");
		sign.initSign(this.privateKey);
		sign.update(probe);
		if (!check.verify(sign.sign())) {
			throw new GeneralSecurityException("The audit signing key's public half could not be derived");
		}
		this.keyId = keyId(this.publicKey);
		this.trusted.put(this.keyId, this.publicKey);
		for (String encoded : properties.trustedPublicKeys()) {
			PublicKey key = keys.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(encoded.strip())));
			this.trusted.put(keyId(key), key);
		}
	}

	String keyId() {
		return this.keyId;
	}

	String publicKeyBase64() {
		return Base64.getEncoder().encodeToString(this.publicKey.getEncoded());
	}

	byte[] sign(String tenantId, long treeSize, byte[] root, Instant signedAt) {
		try {
			Signature signature = Signature.getInstance("Ed25519");
			signature.initSign(this.privateKey);
			signature.update(signedBytes(tenantId, treeSize, root, signedAt));
			return signature.sign();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Cannot sign a tree head", ex);
		}
	}

	/**
	 * Checks a tree head's signature.
	 * @return null when it verifies, otherwise why not
	 */
	@Nullable String check(String tenantId, long treeSize, byte[] root, Instant signedAt, String keyId, byte[] signatureBytes) {
		PublicKey key = this.trusted.get(keyId);
		if (key == null) {
			return "tree head at size " + treeSize + " is signed by unknown key " + keyId;
		}
		try {
			Signature signature = Signature.getInstance("Ed25519");
			signature.initVerify(key);
			signature.update(signedBytes(tenantId, treeSize, root, signedAt));
			return signature.verify(signatureBytes) ? null : "tree head at size " + treeSize + " has a bad signature";
		}
		catch (GeneralSecurityException ex) {
			return "tree head at size " + treeSize + " cannot be checked: " + ex.getMessage();
		}
	}

	/**
	 * Signs bytes as they are (a checkpoint note's text) with the audit key.
	 * @param message what to sign
	 * @return the Ed25519 signature
	 */
	byte[] signBytes(byte[] message) {
		try {
			Signature signature = Signature.getInstance("Ed25519");
			signature.initSign(this.privateKey);
			signature.update(message);
			return signature.sign();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Cannot sign a checkpoint", ex);
		}
	}

	PublicKey publicKey() {
		return this.publicKey;
	}

	/**
	 * The current key and the earlier trusted ones.
	 * @return the public keys whose signatures verify
	 */
	Collection<PublicKey> trustedKeys() {
		return List.copyOf(this.trusted.values());
	}

	public static byte[] signedBytes(String tenantId, long treeSize, byte[] root, Instant signedAt) {
		long micros = signedAt.getEpochSecond() * 1_000_000L + signedAt.getNano() / 1_000;
		return (tenantId + "\n" + treeSize + "\n" + HexFormat.of().formatHex(root) + "\n" + micros)
			.getBytes(StandardCharsets.UTF_8);
	}

	public static String keyId(PublicKey key) throws GeneralSecurityException {
		byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
		return HexFormat.of().formatHex(digest, 0, 8);
	}

	private static PublicKey derivePublic(PrivateKey privateKey) throws GeneralSecurityException {
		// An Ed25519 PKCS#8 key from the JDK carries no public key; sign and recover is
		// not possible,
		// so the public key is derived by the provider through a key-pair round trip.
		java.security.interfaces.EdECPrivateKey edKey = (java.security.interfaces.EdECPrivateKey) privateKey;
		byte[] seed = edKey.getBytes().orElseThrow(() -> new GeneralSecurityException("Ed25519 key without seed"));
		KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
		generator.initialize(255, new FixedSeed(seed));
		return generator.generateKeyPair().getPublic();
	}

	/**
	 * Hands the key generator exactly the private key's seed, so it derives that key's
	 * public half.
	 */
	private static final class FixedSeed extends java.security.SecureRandom {

		private final byte[] seed;

		FixedSeed(byte[] seed) {
			this.seed = seed.clone();
		}

		@Override
		public void nextBytes(byte[] bytes) {
			System.arraycopy(this.seed, 0, bytes, 0, Math.min(bytes.length, this.seed.length));
		}

	}

}

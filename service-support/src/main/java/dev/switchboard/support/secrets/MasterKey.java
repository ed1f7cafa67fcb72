package dev.switchboard.support.secrets;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.AesGcmKey;
import com.google.crypto.tink.aead.AesGcmParameters;
import com.google.crypto.tink.util.SecretBytes;

/**
 * The key-encryption key from configuration: the master key
 * ({@code SWITCHBOARD_MASTER_KEY}, 32 random bytes in base64, e.g.
 * {@code openssl rand -base64 32}) wraps new data keys; earlier master keys
 * ({@code SWITCHBOARD_MASTER_KEY_PREVIOUS}, comma-separated) still unwrap what they
 * wrapped until a rewrap has moved everything to the new one. Each is a Tink AES-256-GCM
 * key; its id is {@code mk-} and 8 hex digits of a SHA-256 over a label and the key (a
 * fingerprint, so the same key has the same id everywhere without naming it).
 */
public final class MasterKey implements KeyEncryptionKey {

	/** The length of a master key in bytes. */
	public static final int KEY_BYTES = 32;

	private final String primaryId;

	private final Map<String, Aead> keys;

	private MasterKey(String primaryId, Map<String, Aead> keys) {
		this.primaryId = primaryId;
		this.keys = keys;
	}

	/**
	 * The master key and the earlier ones still accepted for unwrapping.
	 * @param primary the master key, base64 of 32 bytes
	 * @param previous earlier master keys, same format
	 * @return the key-encryption key
	 * @throws IllegalArgumentException if a key is not base64 of 32 bytes
	 */
	public static MasterKey of(String primary, List<String> previous) {
		Map<String, Aead> keys = new LinkedHashMap<>();
		String primaryId = add(keys, primary, "SWITCHBOARD_MASTER_KEY");
		for (String key : previous) {
			if (!key.isBlank()) {
				add(keys, key, "SWITCHBOARD_MASTER_KEY_PREVIOUS");
			}
		}
		return new MasterKey(primaryId, Map.copyOf(keys));
	}

	/**
	 * A new random master key.
	 * @return base64 of 32 random bytes
	 */
	public static String generate() {
		return Base64.getEncoder()
			.encodeToString(SecretBytes.randomBytes(KEY_BYTES).toByteArray(InsecureSecretKeyAccess.get()));
	}

	@Override
	public String primaryId() {
		return this.primaryId;
	}

	/**
	 * The ids of every configured key, the primary's included.
	 * @return key ids
	 */
	public Set<String> keyIds() {
		return this.keys.keySet();
	}

	@Override
	public Aead aead(String keyId) throws GeneralSecurityException {
		Aead aead = this.keys.get(keyId);
		if (aead == null) {
			throw new GeneralSecurityException("Master key " + keyId + " is not configured: set it as "
					+ "SWITCHBOARD_MASTER_KEY or in SWITCHBOARD_MASTER_KEY_PREVIOUS until the rewrap is done");
		}
		return aead;
	}

	private static String add(Map<String, Aead> keys, String encoded, String name) {
		byte[] bytes;
		try {
			bytes = Base64.getDecoder().decode(encoded.strip());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(name + " is not base64: generate one with `openssl rand -base64 32`");
		}
		if (bytes.length != KEY_BYTES) {
			throw new IllegalArgumentException(name + " must be " + KEY_BYTES + " bytes in base64 (it has "
					+ bytes.length + "): generate one with `openssl rand -base64 32`");
		}
		try {
			AesGcmKey key = AesGcmKey.builder()
				.setParameters(AesGcmParameters.builder()
					.setKeySizeBytes(KEY_BYTES)
					.setIvSizeBytes(12)
					.setTagSizeBytes(16)
					.setVariant(AesGcmParameters.Variant.NO_PREFIX)
					.build())
				.setKeyBytes(SecretBytes.copyFrom(bytes, InsecureSecretKeyAccess.get()))
				.build();
			Aead aead = KeysetHandle.newBuilder()
				.addEntry(KeysetHandle.importKey(key).withRandomId().makePrimary())
				.build()
				.getPrimitive(RegistryConfiguration.get(), Aead.class);
			String id = id(bytes);
			keys.putIfAbsent(id, aead);
			return id;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Tink cannot use the master key " + name, ex);
		}
	}

	private static String id(byte[] key) throws GeneralSecurityException {
		MessageDigest digest = MessageDigest.getInstance("SHA-256");
		digest.update("switchboard master key id\0".getBytes(StandardCharsets.UTF_8));
		return "mk-" + HexFormat.of().formatHex(digest.digest(key), 0, 4);
	}

	static {
		try {
			AeadConfig.register();
		}
		catch (GeneralSecurityException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

}

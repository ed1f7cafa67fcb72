package dev.switchboard.support.secrets;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Envelope encryption of secrets at rest. {@link #seal} encrypts a secret under a new
 * AES-256-GCM data key and wraps that key (a Tink keyset, encrypted with
 * {@link TinkProtoKeysetFormat#serializeEncryptedKeyset}) under the key-encryption key's
 * primary; both carry the {@link SecretContext} as associated data. {@link #open} unwraps
 * with the key-encryption key recorded in the envelope, so envelopes of an earlier master
 * key stay readable while it is configured; {@link #rewrap} moves one to the primary
 * without touching its ciphertext. Failed decryptions are counted in
 * {@code switchboard.secrets.decrypt.failures} by purpose.
 */
public final class Secrets {

	static final String DECRYPT_FAILURES = "switchboard.secrets.decrypt.failures";

	private final KeyEncryptionKey keyEncryptionKey;

	private final MeterRegistry meters;

	public Secrets(KeyEncryptionKey keyEncryptionKey, MeterRegistry meters) {
		this.keyEncryptionKey = keyEncryptionKey;
		this.meters = meters;
	}

	/**
	 * Encrypts a secret for its row.
	 * @param plaintext the secret
	 * @param context the row it belongs to
	 * @return the envelope to store
	 */
	public byte[] seal(byte[] plaintext, SecretContext context) {
		try {
			byte[] associatedData = context.associatedData();
			KeysetHandle dataKey = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
			byte[] ciphertext = dataKey.getPrimitive(RegistryConfiguration.get(), Aead.class)
				.encrypt(plaintext, associatedData);
			String keyId = this.keyEncryptionKey.primaryId();
			byte[] wrapped = TinkProtoKeysetFormat.serializeEncryptedKeyset(dataKey, this.keyEncryptionKey.aead(keyId),
					associatedData);
			return new Envelope(keyId, wrapped, ciphertext).toBytes();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("The " + context + " could not be encrypted", ex);
		}
	}

	/**
	 * Encrypts a text secret (UTF-8).
	 * @param plaintext the secret
	 * @param context the row it belongs to
	 * @return the envelope to store
	 */
	public byte[] seal(String plaintext, SecretContext context) {
		return seal(plaintext.getBytes(StandardCharsets.UTF_8), context);
	}

	/**
	 * Decrypts a secret of its row.
	 * @param sealed the stored envelope
	 * @param context the row it was read from
	 * @return the secret
	 * @throws SecretUnreadableException if the envelope is not of this row, was changed,
	 * or its master key is not configured
	 */
	public byte[] open(byte[] sealed, SecretContext context) {
		try {
			Envelope envelope = Envelope.parse(sealed);
			return dataKey(envelope, context).getPrimitive(RegistryConfiguration.get(), Aead.class)
				.decrypt(envelope.ciphertext(), context.associatedData());
		}
		catch (GeneralSecurityException ex) {
			throw unreadable(context, ex);
		}
	}

	/**
	 * Decrypts a text secret (UTF-8).
	 * @param sealed the stored envelope
	 * @param context the row it was read from
	 * @return the secret
	 * @throws SecretUnreadableException if it cannot be decrypted
	 */
	public String openString(byte[] sealed, SecretContext context) {
		return new String(open(sealed, context), StandardCharsets.UTF_8);
	}

	/**
	 * Wraps an envelope's data key under the primary key-encryption key. The ciphertext
	 * stays as it is.
	 * @param sealed the stored envelope
	 * @param context the row it was read from
	 * @return the new envelope, or null when it is under the primary already
	 * @throws SecretUnreadableException if its data key cannot be unwrapped
	 */
	public byte @Nullable [] rewrap(byte[] sealed, SecretContext context) {
		String primary = this.keyEncryptionKey.primaryId();
		try {
			Envelope envelope = Envelope.parse(sealed);
			if (envelope.keyId().equals(primary)) {
				return null;
			}
			byte[] wrapped = TinkProtoKeysetFormat.serializeEncryptedKeyset(dataKey(envelope, context),
					this.keyEncryptionKey.aead(primary), context.associatedData());
			return new Envelope(primary, wrapped, envelope.ciphertext()).toBytes();
		}
		catch (GeneralSecurityException ex) {
			throw unreadable(context, ex);
		}
	}

	/**
	 * Whether an envelope's data key is wrapped under the primary key-encryption key.
	 * @param sealed a stored envelope
	 * @return true when no rewrap is needed
	 */
	public boolean underPrimary(byte[] sealed) {
		byte[] header = primaryHeader();
		return sealed.length >= header.length && Arrays.equals(sealed, 0, header.length, header, 0, header.length);
	}

	/**
	 * The bytes that every envelope under the primary key-encryption key starts with.
	 * @return a prefix for finding envelopes of earlier keys in SQL
	 */
	public byte[] primaryHeader() {
		return Envelope.header(this.keyEncryptionKey.primaryId());
	}

	/**
	 * The primary key-encryption key's id.
	 * @return the id new envelopes record
	 */
	public String primaryKeyId() {
		return this.keyEncryptionKey.primaryId();
	}

	private KeysetHandle dataKey(Envelope envelope, SecretContext context) throws GeneralSecurityException {
		return TinkProtoKeysetFormat.parseEncryptedKeyset(envelope.wrappedKey(),
				this.keyEncryptionKey.aead(envelope.keyId()), context.associatedData());
	}

	private SecretUnreadableException unreadable(SecretContext context, GeneralSecurityException ex) {
		this.meters.counter(DECRYPT_FAILURES, "purpose", context.purpose()).increment();
		return new SecretUnreadableException("The " + context
				+ " could not be decrypted: its master key is not configured, or the stored value was changed or "
				+ "copied from another row", ex);
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

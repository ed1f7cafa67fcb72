package dev.switchboard.support.secrets;

import java.security.GeneralSecurityException;

import com.google.crypto.tink.Aead;

/**
 * The key-encryption key that wraps every data key. The default is {@link MasterKey}
 * (from {@code SWITCHBOARD_MASTER_KEY}); a deployment with a KMS declares its own bean,
 * e.g. with ids that are key URIs and {@code aead(id)} answered by Tink's
 * {@code KmsClient#getAead(id)}.
 */
public interface KeyEncryptionKey {

	/**
	 * The key new data keys are wrapped under. It is recorded with each wrapped data key
	 * (at most 255 bytes of UTF-8).
	 * @return the primary key's id
	 */
	String primaryId();

	/**
	 * The key with this id, to wrap with (the primary) or to unwrap what it wrapped.
	 * @param keyId an id recorded with a wrapped data key
	 * @return its AEAD
	 * @throws GeneralSecurityException if no such key is configured
	 */
	Aead aead(String keyId) throws GeneralSecurityException;

}

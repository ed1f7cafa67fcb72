package dev.switchboard.support.secrets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * The stored form of a secret: {@code 0x01}, the key-encryption key's id (one length
 * byte, UTF-8), the wrapped data key (four length bytes, a Tink encrypted keyset) and the
 * ciphertext (Tink AEAD). The header up to the key id is a fixed prefix per key, so SQL
 * can find what an old key wrapped.
 *
 * @param keyId the key-encryption key that wrapped the data key
 * @param wrappedKey the data key's encrypted keyset
 * @param ciphertext the secret under the data key
 */
record Envelope(String keyId, byte[] wrappedKey, byte[] ciphertext) {

	static final byte VERSION = 1;

	byte[] toBytes() {
		byte[] header = header(this.keyId);
		return ByteBuffer.allocate(header.length + 4 + this.wrappedKey.length + this.ciphertext.length)
			.put(header)
			.putInt(this.wrappedKey.length)
			.put(this.wrappedKey)
			.put(this.ciphertext)
			.array();
	}

	static Envelope parse(byte[] sealed) throws GeneralSecurityException {
		try {
			ByteBuffer buffer = ByteBuffer.wrap(sealed);
			if (buffer.get() != VERSION) {
				throw new GeneralSecurityException("Not a sealed secret (unknown format)");
			}
			byte[] id = new byte[Byte.toUnsignedInt(buffer.get())];
			buffer.get(id);
			int wrappedLength = buffer.getInt();
			if (wrappedLength < 0 || wrappedLength > buffer.remaining()) {
				throw new GeneralSecurityException("A sealed secret's wrapped key is cut short");
			}
			byte[] wrapped = new byte[wrappedLength];
			buffer.get(wrapped);
			byte[] ciphertext = Arrays.copyOfRange(sealed, buffer.position(), sealed.length);
			return new Envelope(new String(id, StandardCharsets.UTF_8), wrapped, ciphertext);
		}
		catch (RuntimeException ex) {
			throw new GeneralSecurityException("A sealed secret is cut short", ex);
		}
	}

	/**
	 * The bytes every envelope wrapped by this key starts with.
	 * @param keyId a key-encryption key's id
	 * @return the header
	 */
	static byte[] header(String keyId) {
		byte[] id = keyId.getBytes(StandardCharsets.UTF_8);
		if (id.length == 0 || id.length > 255) {
			throw new IllegalArgumentException("A key-encryption key's id must be 1 to 255 bytes of UTF-8");
		}
		return ByteBuffer.allocate(2 + id.length).put(VERSION).put((byte) id.length).put(id).array();
	}

}

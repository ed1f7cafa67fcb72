package dev.switchboard.audit.witness;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

/**
 * The C2SP signed-note format (https://c2sp.org/signed-note) with Ed25519 keys: the text,
 * a blank line, then one line per signature, {@code — <key name> <base64(key id ||
 * signature)>}, where the key id is the first four bytes of
 * {@code SHA-256(key name || 0x0A || 0x01 || public key)} and the signature is Ed25519
 * over the text's UTF-8 bytes. Notes written here verify with Go's
 * {@code golang.org/x/mod/sumdb/note} and the C2SP witness tools, and the other way
 * round.
 */
public final class SignedNote {

	private static final String DASH = "\u2014 ";

	private static final byte ED25519 = 0x01;

	/** The DER prefix of an X.509 Ed25519 public key; the raw 32-byte key follows it. */
	private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

	private SignedNote() {
	}

	/**
	 * Signs a text as a note.
	 * @param text the text, ending in a newline, without a blank line
	 * @param name the key name (for a checkpoint: its origin)
	 * @param key the signer's public key
	 * @param signer signs bytes with the matching private key (Ed25519)
	 * @return the note
	 */
	public static String sign(String text, String name, PublicKey key, Function<byte[], byte[]> signer) {
		if (!text.endsWith("\n") || text.contains("\n\n") || text.startsWith("\n")) {
			throw new IllegalArgumentException("A note's text ends with a newline and has no blank line");
		}
		byte[] signature = signer.apply(text.getBytes(StandardCharsets.UTF_8));
		byte[] blob = new byte[4 + signature.length];
		System.arraycopy(keyId(name, key), 0, blob, 0, 4);
		System.arraycopy(signature, 0, blob, 4, signature.length);
		return text + "\n" + DASH + name + " " + Base64.getEncoder().encodeToString(blob) + "\n";
	}

	/**
	 * Splits a note into its text and signature lines (nothing is verified yet).
	 * @param note the note
	 * @return the text and signatures
	 * @throws IllegalArgumentException if it is not a signed note
	 */
	public static Opened parse(String note) {
		int split = note.lastIndexOf("\n\n");
		if (split < 0 || !note.endsWith("\n")) {
			throw new IllegalArgumentException("A signed note is text, a blank line and signature lines");
		}
		String text = note.substring(0, split + 1);
		List<Line> signatures = new ArrayList<>();
		for (String line : note.substring(split + 2, note.length() - 1).split("\n", -1)) {
			int space = line.lastIndexOf(' ');
			if (!line.startsWith(DASH) || space <= DASH.length()) {
				throw new IllegalArgumentException("A signature line is '\u2014 <name> <base64>': " + line);
			}
			byte[] blob;
			try {
				blob = Base64.getDecoder().decode(line.substring(space + 1));
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("A signature line ends in base64: " + line, ex);
			}
			if (blob.length < 5) {
				throw new IllegalArgumentException("A signature is a 4-byte key id and the signature: " + line);
			}
			signatures.add(new Line(line.substring(DASH.length(), space), Arrays.copyOf(blob, 4),
					Arrays.copyOfRange(blob, 4, blob.length)));
		}
		return new Opened(text, signatures);
	}

	/**
	 * The key id of an Ed25519 key under a name.
	 * @param name the key name
	 * @param key the public key
	 * @return the first four bytes of {@code SHA-256(name || 0x0A || 0x01 || key)}
	 */
	public static byte[] keyId(String name, PublicKey key) {
		try {
			MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
			sha256.update(name.getBytes(StandardCharsets.UTF_8));
			sha256.update((byte) 0x0A);
			sha256.update(ED25519);
			sha256.update(raw(key));
			return Arrays.copyOf(sha256.digest(), 4);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("SHA-256 is part of every JDK", ex);
		}
	}

	/**
	 * The verifier key in the Go {@code note} package's notation, for tools that take
	 * one: {@code <name>+<key id hex>+<base64(0x01 || key)>}.
	 * @param name the key name
	 * @param key the public key
	 * @return the verifier key
	 */
	public static String verifierKey(String name, PublicKey key) {
		byte[] typed = new byte[33];
		typed[0] = ED25519;
		System.arraycopy(raw(key), 0, typed, 1, 32);
		return name + "+" + HexFormat.of().formatHex(keyId(name, key)) + "+"
				+ Base64.getEncoder().encodeToString(typed);
	}

	/**
	 * An Ed25519 public key from its 32 raw bytes.
	 * @param raw the key
	 * @return the key
	 */
	public static PublicKey ed25519(byte[] raw) {
		if (raw.length != 32) {
			throw new IllegalArgumentException("An Ed25519 public key has 32 bytes");
		}
		byte[] encoded = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + 32);
		System.arraycopy(raw, 0, encoded, X509_PREFIX.length, 32);
		try {
			return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalArgumentException("Not an Ed25519 public key", ex);
		}
	}

	static boolean isValidName(String name) {
		return !name.isEmpty() && name.codePoints()
			.noneMatch((c) -> c == '+' || Character.isWhitespace(c) || Character.isSpaceChar(c)
					|| Character.isISOControl(c));
	}

	private static byte[] raw(PublicKey key) {
		byte[] encoded = key.getEncoded();
		if (!"Ed25519".equals(key.getAlgorithm()) && !"EdDSA".equals(key.getAlgorithm())
				|| encoded.length != X509_PREFIX.length + 32
				|| !Arrays.equals(encoded, 0, X509_PREFIX.length, X509_PREFIX, 0, X509_PREFIX.length)) {
			throw new IllegalArgumentException("Not an Ed25519 public key: " + key.getAlgorithm());
		}
		return Arrays.copyOfRange(encoded, X509_PREFIX.length, encoded.length);
	}

	/**
	 * One signature line.
	 *
	 * @param name the key name
	 * @param keyId the key id (4 bytes)
	 * @param signature the signature
	 */
	public record Line(String name, byte[] keyId, byte[] signature) {

	}

	/**
	 * A note split into text and signature lines.
	 *
	 * @param text the signed text, ending in a newline
	 * @param signatures the signature lines in order
	 */
	public record Opened(String text, List<Line> signatures) {

		/**
		 * Whether a signature by the key under the name verifies.
		 * @param name the key name
		 * @param key the public key
		 * @return whether one signature line by that key verifies over the text
		 */
		public boolean verifies(String name, PublicKey key) {
			byte[] id = keyId(name, key);
			for (Line line : this.signatures) {
				if (line.name().equals(name) && Arrays.equals(line.keyId(), id)) {
					try {
						Signature signature = Signature.getInstance("Ed25519");
						signature.initVerify(key);
						signature.update(this.text.getBytes(StandardCharsets.UTF_8));
						if (signature.verify(line.signature())) {
							return true;
						}
					}
					catch (GeneralSecurityException ex) {
						// A malformed signature does not verify.
					}
				}
			}
			return false;
		}

	}

}

package dev.switchboard.audit.witness;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The text of a C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint): the origin line
 * naming the log, the tree size in decimal and the base64 RFC 9162 root hash, each ending
 * in a newline. It is signed as a signed note ({@link SignedNote}).
 *
 * @param origin the log's unique name, e.g. {@code switchboard.dev/audit/demo}
 * @param treeSize how many entries the tree covers
 * @param rootHash the Merkle root (32 bytes)
 */
public record Checkpoint(String origin, long treeSize, byte[] rootHash) {

	public Checkpoint {
		if (!SignedNote.isValidName(origin)) {
			throw new IllegalArgumentException("A checkpoint origin is non-empty, without spaces or '+': " + origin);
		}
		if (treeSize < 0 || rootHash.length != 32) {
			throw new IllegalArgumentException("A checkpoint has a size >= 0 and a 32-byte root");
		}
		rootHash = rootHash.clone();
	}

	@Override
	public byte[] rootHash() {
		return this.rootHash.clone();
	}

	/**
	 * The origin of a tenant's log.
	 * @param prefix the service's origin prefix
	 * ({@code switchboard.audit.witness.origin})
	 * @param tenantId the tenant
	 * @return {@code <prefix>/<tenant>}, the tenant with every character but letters,
	 * digits and {@code . _ -} as {@code %XX} (UTF-8)
	 */
	public static String originOf(String prefix, String tenantId) {
		StringBuilder origin = new StringBuilder(prefix).append('/');
		for (byte b : tenantId.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
			char c = (char) (b & 0xFF);
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
					|| c == '.') {
				origin.append(c);
			}
			else {
				origin.append('%').append(String.format("%02X", b & 0xFF));
			}
		}
		return origin.toString();
	}

	/**
	 * The note text that is signed.
	 * @return origin, size and root, one a line
	 */
	public String text() {
		return this.origin + "\n" + this.treeSize + "\n" + Base64.getEncoder().encodeToString(this.rootHash) + "\n";
	}

	/**
	 * Reads a checkpoint's text (extension lines after the root are allowed and ignored).
	 * @param text the note text
	 * @return the checkpoint
	 * @throws IllegalArgumentException if it is not a checkpoint
	 */
	public static Checkpoint parse(String text) {
		if (!text.endsWith("\n")) {
			throw new IllegalArgumentException("A checkpoint's text ends with a newline");
		}
		List<String> lines = Arrays.asList(text.substring(0, text.length() - 1).split("\n", -1));
		if (lines.size() < 3 || lines.stream().anyMatch(String::isEmpty)) {
			throw new IllegalArgumentException("A checkpoint has at least three non-empty lines");
		}
		String size = lines.get(1);
		if (!size.matches("0|[1-9][0-9]{0,18}")) {
			throw new IllegalArgumentException("A checkpoint's tree size is a decimal without leading zeros: " + size);
		}
		byte[] root;
		try {
			root = Base64.getDecoder().decode(lines.get(2));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("A checkpoint's root hash is base64", ex);
		}
		return new Checkpoint(lines.get(0), Long.parseLong(size), root);
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof Checkpoint that && this.origin.equals(that.origin) && this.treeSize == that.treeSize
				&& Arrays.equals(this.rootHash, that.rootHash);
	}

	@Override
	public int hashCode() {
		return 31 * (31 * this.origin.hashCode() + Long.hashCode(this.treeSize)) + Arrays.hashCode(this.rootHash);
	}

	@Override
	public String toString() {
		return text().replace('\n', ' ').strip();
	}

}

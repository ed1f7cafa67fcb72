package dev.switchboard.audit.log;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;

/**
 * An independent verifier of RFC 9162 proofs, written from the RFC's verification
 * algorithms (sections 2.1.3.2 and 2.1.4.2), which work bottom-up with bit arithmetic and
 * share no code with the service's recursive proof generation.
 */
final class Rfc9162Verifier {

	private Rfc9162Verifier() {
	}

	static boolean verifyInclusion(long leafIndex, long treeSize, byte[] leafHash, List<byte[]> path, byte[] root) {
		if (leafIndex >= treeSize) {
			return false;
		}
		long fn = leafIndex;
		long sn = treeSize - 1;
		byte[] r = leafHash;
		for (byte[] p : path) {
			if (sn == 0) {
				return false;
			}
			if ((fn & 1) == 1 || fn == sn) {
				r = node(p, r);
				if ((fn & 1) == 0) {
					while ((fn & 1) == 0 && fn != 0) {
						fn >>= 1;
						sn >>= 1;
					}
				}
			}
			else {
				r = node(r, p);
			}
			fn >>= 1;
			sn >>= 1;
		}
		return sn == 0 && Arrays.equals(r, root);
	}

	static boolean verifyConsistency(long firstSize, long secondSize, byte[] firstRoot, byte[] secondRoot,
			List<byte[]> proof) {
		if (firstSize == secondSize) {
			return proof.isEmpty() && Arrays.equals(firstRoot, secondRoot);
		}
		if (firstSize == 0 || firstSize > secondSize || proof.isEmpty()) {
			return false;
		}
		List<byte[]> path = proof;
		if (Long.bitCount(firstSize) == 1) {
			path = new java.util.ArrayList<>(proof);
			path.addFirst(firstRoot);
		}
		long fn = firstSize - 1;
		long sn = secondSize - 1;
		while ((fn & 1) == 1) {
			fn >>= 1;
			sn >>= 1;
		}
		byte[] fr = path.getFirst();
		byte[] sr = path.getFirst();
		for (byte[] c : path.subList(1, path.size())) {
			if (sn == 0) {
				return false;
			}
			if ((fn & 1) == 1 || fn == sn) {
				fr = node(c, fr);
				sr = node(c, sr);
				if ((fn & 1) == 0) {
					while ((fn & 1) == 0 && fn != 0) {
						fn >>= 1;
						sn >>= 1;
					}
				}
			}
			else {
				sr = node(sr, c);
			}
			fn >>= 1;
			sn >>= 1;
		}
		return sn == 0 && Arrays.equals(fr, firstRoot) && Arrays.equals(sr, secondRoot);
	}

	private static byte[] node(byte[] left, byte[] right) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			digest.update((byte) 0x01);
			digest.update(left);
			digest.update(right);
			return digest.digest();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}

package dev.switchboard.audit.log;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Checks RFC 9162 proofs (sections 2.1.3.2 and 2.1.4.2) and computes roots, for verifiers
 * outside the service such as the offline export verifier.
 */
public final class Proofs {

	private Proofs() {
	}

	/**
	 * MTH of the leaf hashes.
	 * @param leaves the leaf hashes in log order
	 * @return the root
	 */
	public static byte[] root(List<byte[]> leaves) {
		return MerkleTree.root(leaves);
	}

	/**
	 * Verifies an inclusion proof.
	 * @param leafIndex the entry's index
	 * @param treeSize the tree's size
	 * @param leafHash the entry's leaf hash
	 * @param path the audit path, from the leaf's sibling up
	 * @param root the tree's root
	 * @return whether the proof holds
	 */
	public static boolean verifyInclusion(long leafIndex, long treeSize, byte[] leafHash, List<byte[]> path,
			byte[] root) {
		if (leafIndex < 0 || leafIndex >= treeSize) {
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
				r = MerkleTree.nodeHash(p, r);
				while ((fn & 1) == 0 && fn != 0) {
					fn >>= 1;
					sn >>= 1;
				}
			}
			else {
				r = MerkleTree.nodeHash(r, p);
			}
			fn >>= 1;
			sn >>= 1;
		}
		return sn == 0 && Arrays.equals(r, root);
	}

	/**
	 * Verifies a consistency proof: the tree of the first {@code firstSize} entries is a
	 * prefix of the tree of {@code secondSize}.
	 * @param firstSize the older size
	 * @param secondSize the newer size
	 * @param firstRoot the older root
	 * @param secondRoot the newer root
	 * @param proof the proof
	 * @return whether the proof holds
	 */
	public static boolean verifyConsistency(long firstSize, long secondSize, byte[] firstRoot, byte[] secondRoot,
			List<byte[]> proof) {
		if (firstSize == secondSize) {
			return proof.isEmpty() && Arrays.equals(firstRoot, secondRoot);
		}
		if (firstSize <= 0 || firstSize > secondSize || proof.isEmpty()) {
			return false;
		}
		List<byte[]> path = proof;
		if (Long.bitCount(firstSize) == 1) {
			path = new ArrayList<>(proof);
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
				fr = MerkleTree.nodeHash(c, fr);
				sr = MerkleTree.nodeHash(c, sr);
				while ((fn & 1) == 0 && fn != 0) {
					fn >>= 1;
					sn >>= 1;
				}
			}
			else {
				sr = MerkleTree.nodeHash(sr, c);
			}
			fn >>= 1;
			sn >>= 1;
		}
		return sn == 0 && Arrays.equals(fr, firstRoot) && Arrays.equals(sr, secondRoot);
	}

}

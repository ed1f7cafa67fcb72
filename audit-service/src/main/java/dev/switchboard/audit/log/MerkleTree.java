package dev.switchboard.audit.log;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * The Merkle tree of RFC 9162 (Certificate Transparency 2.0), section 2.1, over leaf
 * hashes: leaves are {@code SHA-256(0x00 || entry)}, nodes
 * {@code SHA-256(0x01 || left || right)}, and a tree of n leaves splits at the largest
 * power of two below n. Computes roots, inclusion paths and consistency proofs.
 */
final class MerkleTree {

	private MerkleTree() {
	}

	static byte[] leafHash(byte[] entry) {
		MessageDigest digest = sha256();
		digest.update((byte) 0x00);
		digest.update(entry);
		return digest.digest();
	}

	static byte[] nodeHash(byte[] left, byte[] right) {
		MessageDigest digest = sha256();
		digest.update((byte) 0x01);
		digest.update(left);
		digest.update(right);
		return digest.digest();
	}

	/**
	 * MTH(D[n]).
	 * @param leaves the leaf hashes
	 * @return the root hash (SHA-256 of nothing for an empty tree)
	 */
	static byte[] root(List<byte[]> leaves) {
		return (leaves.isEmpty()) ? sha256().digest() : hash(leaves, 0, leaves.size());
	}

	/**
	 * PATH(m, D[n]): the audit path of leaf m in the tree of the first n leaves.
	 * @param leaves the leaf hashes (at least n)
	 * @param m the leaf index
	 * @param n the tree size
	 * @return the path, from the leaf's sibling up
	 */
	static List<byte[]> inclusionPath(List<byte[]> leaves, int m, int n) {
		if (m < 0 || m >= n || n > leaves.size()) {
			throw new IllegalArgumentException("Leaf " + m + " is not in a tree of " + n + " leaves");
		}
		List<byte[]> path = new ArrayList<>();
		path(leaves, m, 0, n, path);
		return path;
	}

	/**
	 * PROOF(m, D[n]): proves that the tree of the first m leaves is a prefix of the tree
	 * of n.
	 * @param leaves the leaf hashes (at least n)
	 * @param m the older size, 0 < m <= n
	 * @param n the newer size
	 * @return the proof
	 */
	static List<byte[]> consistencyProof(List<byte[]> leaves, int m, int n) {
		if (m <= 0 || m > n || n > leaves.size()) {
			throw new IllegalArgumentException("No consistency proof from " + m + " to " + n + " leaves");
		}
		List<byte[]> proof = new ArrayList<>();
		subproof(leaves, m, 0, n, true, proof);
		return proof;
	}

	private static byte[] hash(List<byte[]> leaves, int from, int to) {
		int n = to - from;
		if (n == 1) {
			return leaves.get(from);
		}
		int k = largestPowerOfTwoBelow(n);
		return nodeHash(hash(leaves, from, from + k), hash(leaves, from + k, to));
	}

	private static void path(List<byte[]> leaves, int m, int from, int to, List<byte[]> path) {
		int n = to - from;
		if (n == 1) {
			return;
		}
		int k = largestPowerOfTwoBelow(n);
		if (m < k) {
			path(leaves, m, from, from + k, path);
			path.add(hash(leaves, from + k, to));
		}
		else {
			path(leaves, m - k, from + k, to, path);
			path.add(hash(leaves, from, from + k));
		}
	}

	private static void subproof(List<byte[]> leaves, int m, int from, int to, boolean complete, List<byte[]> proof) {
		int n = to - from;
		if (m == n) {
			if (!complete) {
				proof.add(hash(leaves, from, to));
			}
			return;
		}
		int k = largestPowerOfTwoBelow(n);
		if (m <= k) {
			subproof(leaves, m, from, from + k, complete, proof);
			proof.add(hash(leaves, from + k, to));
		}
		else {
			subproof(leaves, m - k, from + k, to, false, proof);
			proof.add(hash(leaves, from, from + k));
		}
	}

	static int largestPowerOfTwoBelow(int n) {
		return Integer.highestOneBit(n - 1);
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every JDK", ex);
		}
	}

}

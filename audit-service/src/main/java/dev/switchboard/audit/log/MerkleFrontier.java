package dev.switchboard.audit.log;

import java.util.ArrayList;
import java.util.List;

/**
 * The right edge of a Merkle tree (RFC 6962's MTH) over leaves appended in order: the
 * root of each perfect subtree the tree size's binary digits make, largest first. It
 * grows by one leaf at a time and gives the root of everything appended so far, so a tree
 * head over a growing log needs only the leaves appended since the last one, not all of
 * them. Immutable.
 *
 * @param size the leaves appended
 * @param peaks the perfect subtrees' roots, the largest (leftmost) first
 */
record MerkleFrontier(long size, List<byte[]> peaks) {

	static final MerkleFrontier EMPTY = new MerkleFrontier(0, List.of());

	MerkleFrontier {
		peaks = List.copyOf(peaks);
		if (peaks.size() != Long.bitCount(size)) {
			throw new IllegalArgumentException("A tree of " + size + " leaves has " + Long.bitCount(size)
					+ " perfect subtrees, not " + peaks.size());
		}
	}

	/**
	 * The frontier after appending leaves.
	 * @param leaves leaf hashes, in log order
	 * @return the new frontier
	 */
	MerkleFrontier append(List<byte[]> leaves) {
		List<byte[]> next = new ArrayList<>(this.peaks);
		long n = this.size;
		for (byte[] leaf : leaves) {
			byte[] carry = leaf;
			// Each trailing one of the size is a subtree as large as the one being
			// carried: they merge, as binary addition carries.
			for (long bits = n; (bits & 1) == 1; bits >>>= 1) {
				carry = MerkleTree.nodeHash(next.removeLast(), carry);
			}
			next.add(carry);
			n++;
		}
		return new MerkleFrontier(n, next);
	}

	/**
	 * MTH of the leaves appended so far: the subtrees folded from the right.
	 * @return the root hash (SHA-256 of nothing for an empty tree, as
	 * {@link MerkleTree#root})
	 */
	byte[] root() {
		if (this.peaks.isEmpty()) {
			return MerkleTree.root(List.of());
		}
		byte[] root = this.peaks.getLast();
		for (int i = this.peaks.size() - 2; i >= 0; i--) {
			root = MerkleTree.nodeHash(this.peaks.get(i), root);
		}
		return root;
	}

}

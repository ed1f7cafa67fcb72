package dev.switchboard.audit.log;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MerkleTreeTests {

	@Test
	void whenTreeIsEmptyThenRootIsTheHashOfNothing() {
		assertThat(HexFormat.of().formatHex(MerkleTree.root(List.of())))
			.isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	}

	@Test
	void whenTreeHasOneLeafThenRootIsTheLeafHashWithItsDomainPrefix() {
		byte[] leaf = MerkleTree.leafHash(new byte[0]);
		assertThat(HexFormat.of().formatHex(leaf))
			.isEqualTo("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
		assertThat(MerkleTree.root(List.of(leaf))).isEqualTo(leaf);
	}

	@Test
	void whenTreeHasThreeLeavesThenItSplitsAtTwo() {
		List<byte[]> leaves = leaves(3);
		assertThat(MerkleTree.root(leaves))
			.isEqualTo(MerkleTree.nodeHash(MerkleTree.nodeHash(leaves.get(0), leaves.get(1)), leaves.get(2)));
	}

	@Test
	void whenEveryInclusionPathIsCheckedByTheIndependentVerifierThenAllHoldAndForgeriesFail() {
		List<byte[]> leaves = leaves(23);
		for (int n = 1; n <= leaves.size(); n++) {
			byte[] root = MerkleTree.root(leaves.subList(0, n));
			for (int m = 0; m < n; m++) {
				List<byte[]> path = MerkleTree.inclusionPath(leaves, m, n);
				assertThat(Rfc9162Verifier.verifyInclusion(m, n, leaves.get(m), path, root)).as("leaf %d of %d", m, n)
					.isTrue();
				if (n > 1) {
					assertThat(Rfc9162Verifier.verifyInclusion(m, n, leaves.get((m + 1) % n), path, root)).isFalse();
				}
			}
		}
	}

	@Test
	void whenEveryConsistencyProofIsCheckedByTheIndependentVerifierThenAllHoldAndAlteredHistoryFails() {
		List<byte[]> leaves = leaves(19);
		for (int n = 1; n <= leaves.size(); n++) {
			byte[] second = MerkleTree.root(leaves.subList(0, n));
			for (int m = 1; m <= n; m++) {
				byte[] first = MerkleTree.root(leaves.subList(0, m));
				List<byte[]> proof = MerkleTree.consistencyProof(leaves, m, n);
				assertThat(Rfc9162Verifier.verifyConsistency(m, n, first, second, proof)).as("%d -> %d", m, n).isTrue();
				if (m < n) {
					List<byte[]> altered = new ArrayList<>(leaves.subList(0, m));
					altered.set(0, MerkleTree.leafHash("rewritten".getBytes(StandardCharsets.UTF_8)));
					assertThat(Rfc9162Verifier.verifyConsistency(m, n, MerkleTree.root(altered), second, proof))
						.isFalse();
				}
			}
		}
	}

	private static List<byte[]> leaves(int count) {
		List<byte[]> leaves = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			leaves.add(MerkleTree.leafHash(("entry " + i).getBytes(StandardCharsets.UTF_8)));
		}
		return leaves;
	}

}

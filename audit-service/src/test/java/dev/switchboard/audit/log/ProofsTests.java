package dev.switchboard.audit.log;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProofsTests {

	@Test
	void whenProofsComeFromTheTreeThenTheyVerifyAndAgainstAnotherRootTheyDoNot() {
		List<byte[]> leaves = new ArrayList<>();
		for (int i = 0; i < 19; i++) {
			leaves.add(MerkleTree.leafHash(("entry " + i).getBytes(StandardCharsets.UTF_8)));
		}
		for (int n = 1; n <= leaves.size(); n++) {
			byte[] root = Proofs.root(leaves.subList(0, n));
			for (int m = 0; m < n; m++) {
				List<byte[]> path = MerkleTree.inclusionPath(leaves, m, n);
				assertThat(Proofs.verifyInclusion(m, n, leaves.get(m), path, root)).as("%d in %d", m, n).isTrue();
				assertThat(Proofs.verifyInclusion(m, n, leaves.get((m + 1) % leaves.size()), path, root)).isFalse();
			}
			for (int m = 1; m <= n; m++) {
				byte[] older = Proofs.root(leaves.subList(0, m));
				List<byte[]> proof = MerkleTree.consistencyProof(leaves, m, n);
				assertThat(Proofs.verifyConsistency(m, n, older, root, proof)).as("%d to %d", m, n).isTrue();
				if (m < n) {
					assertThat(Proofs.verifyConsistency(m, n, root, root, proof)).isFalse();
				}
			}
		}
	}

}

package dev.switchboard.audit.log;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class MerkleFrontierTests {

	@Test
	void whenLeavesAreAppendedOneByOneThenEveryRootIsTheTreesRoot() {
		List<byte[]> leaves = leaves(130);
		MerkleFrontier frontier = MerkleFrontier.EMPTY;
		assertThat(frontier.root()).isEqualTo(MerkleTree.root(List.of()));
		for (int n = 1; n <= leaves.size(); n++) {
			frontier = frontier.append(List.of(leaves.get(n - 1)));
			assertThat(frontier.size()).isEqualTo(n);
			assertThat(frontier.root()).as("root of %d leaves", n).isEqualTo(MerkleTree.root(leaves.subList(0, n)));
		}
	}

	@Test
	void whenLeavesAreAppendedInBatchesThenTheRootDoesNotDependOnTheBatches() {
		List<byte[]> leaves = leaves(100);
		MerkleFrontier frontier = MerkleFrontier.EMPTY.append(leaves.subList(0, 37))
			.append(List.of())
			.append(leaves.subList(37, 64))
			.append(leaves.subList(64, 100));

		assertThat(frontier.size()).isEqualTo(100);
		assertThat(frontier.peaks()).hasSize(Long.bitCount(100));
		assertThat(frontier.root()).isEqualTo(MerkleTree.root(leaves));
	}

	@Test
	void whenAFrontierGrowsThenTheOneItGrewFromIsUnchanged() {
		List<byte[]> leaves = leaves(5);
		MerkleFrontier three = MerkleFrontier.EMPTY.append(leaves.subList(0, 3));
		three.append(leaves.subList(3, 5));

		assertThat(three.size()).isEqualTo(3);
		assertThat(three.root()).isEqualTo(MerkleTree.root(leaves.subList(0, 3)));
	}

	@Test
	void whenPeaksDoNotFitTheSizeThenItIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new MerkleFrontier(3, List.of(new byte[32])));
	}

	private static List<byte[]> leaves(int count) {
		List<byte[]> leaves = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			leaves.add(MerkleTree.leafHash(("entry " + i).getBytes(StandardCharsets.UTF_8)));
		}
		return leaves;
	}

}

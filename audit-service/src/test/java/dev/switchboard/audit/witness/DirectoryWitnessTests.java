package dev.switchboard.audit.witness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class DirectoryWitnessTests {

	private static final String ORIGIN = "switchboard.dev/audit/demo";

	@TempDir
	private Path directory;

	@Test
	void whenCheckpointsAreAddedThenOneFileEachNamedBySizeAndTheLargestIsTheLatest() throws Exception {
		DirectoryWitness witness = new DirectoryWitness(this.directory);
		assertThat(witness.latest(ORIGIN)).isEmpty();
		witness.add(checkpoint(9, 1), note(9, 1));
		witness.add(checkpoint(10, 2), note(10, 2));
		witness.add(checkpoint(2, 3), note(2, 3));

		Path log = this.directory.resolve("switchboard.dev%2Faudit%2Fdemo");
		try (Stream<Path> files = Files.list(log)) {
			assertThat(files.map((file) -> file.getFileName().toString())).containsExactlyInAnyOrder("2", "9", "10");
		}
		assertThat(Files.readString(log.resolve("9"))).isEqualTo(note(9, 1));
		assertThat(witness.latest(ORIGIN)).contains(note(10, 2));
		assertThat(witness.latest("switchboard.dev/audit/other")).isEmpty();
	}

	@Test
	void whenTheSameCheckpointComesAgainThenNothingChangesAndADifferentOneIsRefused() throws Exception {
		DirectoryWitness witness = new DirectoryWitness(this.directory);
		witness.add(checkpoint(5, 1), note(5, 1));
		witness.add(checkpoint(5, 1), note(5, 1));

		assertThatExceptionOfType(CheckpointConflictException.class)
			.isThrownBy(() -> witness.add(checkpoint(5, 2), note(5, 2)))
			.withMessageContaining("different checkpoint")
			.withMessageContaining("size 5");
		assertThat(witness.latest(ORIGIN)).contains(note(5, 1));
	}

	private static Checkpoint checkpoint(long size, int root) {
		byte[] hash = new byte[32];
		hash[31] = (byte) root;
		return new Checkpoint(ORIGIN, size, hash);
	}

	/**
	 * The directory witness keeps the note as given; its signature is not its concern.
	 */
	private static String note(long size, int root) {
		return checkpoint(size, root).text() + "\n\u2014 " + ORIGIN + " AAAAAAAA\n";
	}

}

package dev.switchboard.audit.witness;

import java.io.IOException;
import java.util.Optional;

/**
 * Keeps signed checkpoints of the audit log outside its database, so that rewriting the
 * log's tail together with its tree heads in SQL is detected: the log must stay
 * consistent with the latest checkpoint a witness holds. Implementations are append-only
 * per origin and tree size.
 */
public interface CheckpointWitness {

	/** Stores nothing: {@code switchboard.audit.witness.type: none}. */
	CheckpointWitness NONE = new CheckpointWitness() {

		@Override
		public void add(Checkpoint checkpoint, String note) {
		}

		@Override
		public Optional<String> latest(String origin) {
			return Optional.empty();
		}

		@Override
		public boolean stores() {
			return false;
		}

		@Override
		public String description() {
			return "none";
		}

	};

	/**
	 * Stores a signed checkpoint. Storing the same checkpoint again succeeds and changes
	 * nothing.
	 * @param checkpoint the checkpoint (its origin and tree size name it)
	 * @param note the signed note of its text
	 * @throws CheckpointConflictException if a different checkpoint of that origin and
	 * size is held
	 * @throws IOException if the witness cannot be reached or written
	 */
	void add(Checkpoint checkpoint, String note) throws IOException;

	/**
	 * The checkpoint of the largest tree size held for a log.
	 * @param origin the log
	 * @return its signed note, or empty when none is held
	 * @throws IOException if the witness cannot be reached or read
	 */
	Optional<String> latest(String origin) throws IOException;

	/**
	 * Whether this witness keeps checkpoints at all.
	 * @return false only for {@link #NONE}
	 */
	default boolean stores() {
		return true;
	}

	/**
	 * What the witness is, for health details and logs.
	 * @return e.g. {@code directory /var/lib/switchboard/witness}
	 */
	String description();

}

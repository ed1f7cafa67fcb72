package dev.switchboard.audit.log;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Recomputes a tenant's tree from the entries' content (never from stored hashes) and
 * checks it against every signed tree head. Shared by the service and the offline
 * {@code VerifyCli}.
 */
public final class LogCheck {

	private LogCheck() {
	}

	/**
	 * Checks a tenant's log.
	 * @param tenantId the tenant
	 * @param entries the entries in log-index order, as read from the database
	 * @param heads the signed tree heads in size order
	 * @param signatures checks a tree head's signature
	 * @return the outcome
	 */
	public static Verification check(String tenantId, List<AuditEntry> entries, List<TreeHead> heads,
			SignatureCheck signatures) {
		return check(tenantId, entries, heads, signatures, null);
	}

	/**
	 * Checks a tenant's log, and that it is consistent with the latest checkpoint a
	 * witness outside the database holds: the log has at least that many entries and the
	 * first of them produce the checkpoint's root. Deleting the log's tail together with
	 * the tree heads that cover it passes the other checks but not this one.
	 * @param tenantId the tenant
	 * @param entries the entries in log-index order, as read from the database
	 * @param heads the signed tree heads in size order
	 * @param signatures checks a tree head's signature
	 * @param witnessed the latest witnessed checkpoint (its signature already checked),
	 * or null when there is none or no witness
	 * @return the outcome
	 */
	public static Verification check(String tenantId, List<AuditEntry> entries, List<TreeHead> heads,
			SignatureCheck signatures, @Nullable Witnessed witnessed) {
		List<String> problems = new ArrayList<>();
		List<byte[]> leaves = new ArrayList<>(entries.size());
		long expected = 0;
		for (AuditEntry entry : entries) {
			if (entry.logIndex() != expected) {
				problems.add((entry.logIndex() < expected) ? "index " + entry.logIndex() + " appears more than once"
						: "indexes " + expected + " to " + (entry.logIndex() - 1) + " are missing");
				expected = entry.logIndex();
			}
			leaves.add(entry.leafHash());
			expected++;
		}
		long signedSize = 0;
		for (TreeHead head : heads) {
			String signature = signatures.check(tenantId, head.treeSize(), head.rootHash(), head.signedAt(),
					head.keyId(), head.signature());
			if (signature != null) {
				problems.add(signature);
			}
			if (head.treeSize() > leaves.size()) {
				problems.add("the log has " + leaves.size() + " entries but a tree head signed " + head.treeSize());
				continue;
			}
			byte[] root = MerkleTree.root(leaves.subList(0, (int) head.treeSize()));
			if (!Arrays.equals(root, head.rootHash())) {
				problems.add("the entries do not produce the root signed at size " + head.treeSize()
						+ firstDifference(leaves, heads, head));
			}
			signedSize = Math.max(signedSize, head.treeSize());
		}
		long witnessedSize = 0;
		if (witnessed != null) {
			problems.addAll(witnessed.problems());
			witnessedSize = witnessed.treeSize();
			if (witnessedSize > leaves.size()) {
				problems.add("the log is shorter than the witnessed checkpoint of size " + witnessedSize + ": it has "
						+ leaves.size() + " entries");
			}
			else if (witnessedSize > 0
					&& !Arrays.equals(MerkleTree.root(leaves.subList(0, (int) witnessedSize)), witnessed.rootHash())) {
				problems
					.add("the entries do not produce the root of the witnessed checkpoint of size " + witnessedSize);
			}
		}
		return new Verification(tenantId, problems.isEmpty(), entries.size(), signedSize, witnessedSize, problems);
	}

	private static String firstDifference(List<byte[]> leaves, List<TreeHead> heads, TreeHead failing) {
		// The largest smaller signed size that still matches bounds where the change is.
		long lastGood = 0;
		for (TreeHead head : heads) {
			if (head.treeSize() <= leaves.size() && head.treeSize() < failing.treeSize()
					&& Arrays.equals(MerkleTree.root(leaves.subList(0, (int) head.treeSize())), head.rootHash())) {
				lastGood = Math.max(lastGood, head.treeSize());
			}
		}
		return " (a change at or after index " + lastGood + ")";
	}

	/** Checks the signature of a tree head. */
	@FunctionalInterface
	public interface SignatureCheck {

		/**
		 * Checks a tree head's signature.
		 * @param tenantId the tenant
		 * @param treeSize the size
		 * @param root the root hash
		 * @param signedAt when it was signed
		 * @param keyId the signing key's id
		 * @param signature the signature
		 * @return null when it verifies, otherwise why not
		 */
		@Nullable String check(String tenantId, long treeSize, byte[] root, Instant signedAt, String keyId, byte[] signature);

	}

	/**
	 * The outcome of a verification.
	 *
	 * @param tenantId the tenant
	 * @param valid whether every check passed
	 * @param entries how many entries the log holds
	 * @param signedTreeSize the largest size a tree head covers
	 * @param witnessedTreeSize the size of the latest checkpoint held by the witness, 0
	 * without one
	 * @param problems what failed, if anything
	 */
	public record Verification(String tenantId, boolean valid, long entries, long signedTreeSize,
			long witnessedTreeSize, List<String> problems) {

	}

	/**
	 * The latest checkpoint a witness holds for the log.
	 *
	 * @param treeSize its tree size (0 when it could not be read)
	 * @param rootHash its root
	 * @param problems why it cannot be trusted (unreadable, a bad signature), if so
	 */
	public record Witnessed(long treeSize, byte[] rootHash, List<String> problems) {

		public static Witnessed unusable(String problem) {
			return new Witnessed(0, new byte[0], List.of(problem));
		}

	}

}

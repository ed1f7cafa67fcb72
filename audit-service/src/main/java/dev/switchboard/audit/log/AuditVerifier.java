package dev.switchboard.audit.log;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Recomputes a tenant's tree from the entries' content and checks it against every signed
 * tree head: an entry updated, deleted, inserted or reordered directly in the database
 * changes the recomputed root of every tree head that covers it.
 */
@Service
class AuditVerifier {

	private final AuditLog log;

	private final TreeHeadSigner signer;

	private final MeterRegistry meters;

	AuditVerifier(AuditLog log, TreeHeadSigner signer, MeterRegistry meters) {
		this.log = log;
		this.signer = signer;
		this.meters = meters;
	}

	Mono<Verification> verify(String tenantId) {
		return this.log.entries(tenantId)
			.collectList()
			.zipWith(this.log.treeHeads(tenantId).collectList())
			.map((both) -> verify(tenantId, both.getT1(), both.getT2()))
			.doOnNext((result) -> this.meters
				.counter("switchboard.audit.verifications", "outcome", result.valid() ? "valid" : "tampered")
				.increment());
	}

	private Verification verify(String tenantId, List<AuditEntry> entries, List<TreeHead> heads) {
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
			String signature = this.signer.check(tenantId, head.treeSize(), head.rootHash(), head.signedAt(),
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
		return new Verification(tenantId, problems.isEmpty(), entries.size(), signedSize, problems);
	}

	private static String firstDifference(List<byte[]> leaves, List<TreeHead> heads, TreeHead failing) {
		// The smallest signed size that still matches bounds where the change is.
		long lastGood = 0;
		for (TreeHead head : heads) {
			if (head.treeSize() <= leaves.size() && head.treeSize() < failing.treeSize()
					&& Arrays.equals(MerkleTree.root(leaves.subList(0, (int) head.treeSize())), head.rootHash())) {
				lastGood = Math.max(lastGood, head.treeSize());
			}
		}
		return " (a change at or after index " + lastGood + ")";
	}

	/**
	 * The outcome of a verification.
	 *
	 * @param tenantId the tenant
	 * @param valid whether every check passed
	 * @param entries how many entries the log holds
	 * @param signedTreeSize the largest size a tree head covers
	 * @param problems what failed, if anything
	 */
	record Verification(String tenantId, boolean valid, long entries, long signedTreeSize, List<String> problems) {

	}

}

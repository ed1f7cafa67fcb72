package dev.switchboard.audit.log;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Covers new entries with a signed tree head, every
 * {@code switchboard.audit.tree-head-interval} and on demand. The root is computed from
 * the leaf hashes stored when the entries were appended: reading 32 bytes an entry keeps
 * signing cheap as the log grows, and an entry changed before a head covers it still
 * fails verification (the verifier recomputes every leaf from the entry).
 */
@Service
class TreeHeads {

	private static final Logger logger = LoggerFactory.getLogger(TreeHeads.class);

	private final AuditLog log;

	private final TreeHeadSigner signer;

	private final Clock clock;

	TreeHeads(AuditLog log, TreeHeadSigner signer, Clock clock) {
		this.log = log;
		this.signer = signer;
		this.clock = clock;
	}

	@Scheduled(fixedDelayString = "${switchboard.audit.tree-head-interval:10s}")
	void signPending() {
		try {
			this.log.tenantsWithUnsignedEntries().concatMap(this::signNow).then().block();
		}
		catch (RuntimeException ex) {
			logger.warn("Signing tree heads failed; retrying at the next interval", ex);
		}
	}

	/**
	 * Signs the tenant's tree at its current size (or returns the head already signed
	 * there).
	 * @param tenantId the tenant
	 * @return the tree head
	 */
	Mono<TreeHead> signNow(String tenantId) {
		// The leaf hashes stored when each entry was appended (32 bytes a row), not the
		// entries: the verifier recomputes them from the entries, so a row changed after
		// it
		// was appended fails verification whether or not a head was signed over it since.
		return this.log.size(tenantId)
			.flatMap((size) -> this.log.storedLeafHashes(tenantId, size))
			.flatMap((leaves) -> {
				if (leaves.isEmpty()) {
					return Mono.empty();
				}
				return this.log.treeHead(tenantId, leaves.size())
					.switchIfEmpty(Mono.defer(() -> sign(tenantId, leaves)));
			});
	}

	private Mono<TreeHead> sign(String tenantId, List<byte[]> leaves) {
		byte[] root = MerkleTree.root(leaves);
		Instant signedAt = AuditEntry.toMicros(this.clock.instant());
		TreeHead head = new TreeHead(tenantId, leaves.size(), root, signedAt, this.signer.keyId(),
				this.signer.sign(tenantId, leaves.size(), root, signedAt));
		return this.log.saveTreeHead(head).then(this.log.treeHead(tenantId, leaves.size()));
	}

}

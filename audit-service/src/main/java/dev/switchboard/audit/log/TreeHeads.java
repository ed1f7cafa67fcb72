package dev.switchboard.audit.log;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Covers new entries with a signed tree head, every
 * {@code switchboard.audit.tree-head-interval} and on demand. The root is computed from
 * the leaf hashes stored when the entries were appended, added to the tenant's Merkle
 * frontier as they come (a head reads only the entries appended since the last one; the
 * first head after a start reads them all), and an entry changed before a head covers it
 * still fails verification (the verifier recomputes every leaf from the entry). Each new
 * head is also handed to the witness outside the database ({@link Checkpoints}).
 */
@Service
class TreeHeads {

	private static final Logger logger = LoggerFactory.getLogger(TreeHeads.class);

	private final AuditLog log;

	private final TreeHeadSigner signer;

	private final Clock clock;

	/** Per tenant, the frontier of the entries the last head signed here covered. */
	private final Map<String, MerkleFrontier> frontiers = new ConcurrentHashMap<>();

	private final Checkpoints checkpoints;

	TreeHeads(AuditLog log, TreeHeadSigner signer, Clock clock, Checkpoints checkpoints) {
		this.log = log;
		this.checkpoints = checkpoints;
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
		return this.log.size(tenantId)
			.filter((size) -> size > 0)
			.flatMap((size) -> this.log.treeHead(tenantId, size).switchIfEmpty(Mono.defer(() -> sign(tenantId, size))));
	}

	/**
	 * Signs the tree of the tenant's first {@code size} entries. The root comes from the
	 * tenant's frontier, grown by the leaf hashes stored since it was last grown (32
	 * bytes a row, not the entries: the verifier recomputes them from the entries, so a
	 * row changed after it was appended fails verification whether or not a head was
	 * signed over it since). Reading every leaf for every head took 0.7 s a head at 1.5
	 * million entries in the benchmark, growing with the log; now it reads what is new.
	 */
	private Mono<TreeHead> sign(String tenantId, long size) {
		MerkleFrontier known = this.frontiers.getOrDefault(tenantId, MerkleFrontier.EMPTY);
		MerkleFrontier start = (known.size() <= size) ? known : MerkleFrontier.EMPTY;
		return this.log.storedLeafHashes(tenantId, start.size(), size).flatMap((leaves) -> {
			if (start.size() + leaves.size() != size) {
				return Mono.error(new IllegalStateException("The audit log of " + tenantId + " has "
						+ (start.size() + leaves.size()) + " leaves below index " + size));
			}
			MerkleFrontier frontier = start.append(leaves);
			this.frontiers.merge(tenantId, frontier, (kept, grown) -> (kept.size() >= grown.size()) ? kept : grown);
			byte[] root = frontier.root();
			Instant signedAt = AuditEntry.toMicros(this.clock.instant());
			TreeHead head = new TreeHead(tenantId, size, root, signedAt, this.signer.keyId(),
					this.signer.sign(tenantId, size, root, signedAt));
			return this.log.saveTreeHead(head)
				.then(this.log.treeHead(tenantId, size))
				.flatMap((saved) -> this.checkpoints.publish(saved).thenReturn(saved));
		});
	}

}

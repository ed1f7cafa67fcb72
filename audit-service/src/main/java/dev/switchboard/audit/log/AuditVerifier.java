package dev.switchboard.audit.log;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Recomputes a tenant's tree from the entries' content and checks it against every signed
 * tree head: an entry updated, deleted, inserted or reordered directly in the database
 * changes the recomputed root of every tree head that covers it. The latest checkpoint
 * held by the witness outside the database catches what the database alone cannot: the
 * log's tail deleted together with the tree heads that cover it.
 */
@Service
class AuditVerifier {

	private final AuditLog log;

	private final TreeHeadSigner signer;

	private final MeterRegistry meters;

	private final AuditMetrics metrics;

	private final Checkpoints checkpoints;

	AuditVerifier(AuditLog log, TreeHeadSigner signer, MeterRegistry meters, AuditMetrics metrics,
			Checkpoints checkpoints) {
		this.log = log;
		this.checkpoints = checkpoints;
		this.signer = signer;
		this.meters = meters;
		this.metrics = metrics;
	}

	Mono<LogCheck.Verification> verify(String tenantId) {
		// The checkpoint first: the log only grows, so entries read after it cover it.
		return this.checkpoints.latest(tenantId)
			.flatMap((witnessed) -> this.log.entries(tenantId)
				.collectList()
				.zipWith(this.log.treeHeads(tenantId).collectList())
				.map((both) -> LogCheck.check(tenantId, both.getT1(), both.getT2(), this.signer::check,
						witnessed.orElse(null))))
			.doOnNext((result) -> {
				this.meters.counter("switchboard.audit.verifications", "outcome", result.valid() ? "valid" : "tampered")
					.increment();
				if (!result.valid()) {
					this.metrics.tamperingFound();
				}
			});
	}

	/**
	 * Verifies every tenant's log.
	 * @return whether all of them verify
	 */
	Mono<Boolean> verifyAll() {
		return this.log.tenants()
			.concatMap(this::verify)
			.all(LogCheck.Verification::valid)
			.doOnNext(this.metrics::verificationResult);
	}

}

package dev.switchboard.audit.log;

import java.io.IOException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import dev.switchboard.audit.witness.Checkpoint;
import dev.switchboard.audit.witness.CheckpointConflictException;
import dev.switchboard.audit.witness.CheckpointWitness;
import dev.switchboard.audit.witness.SignedNote;
import dev.switchboard.audit.witness.WitnessProperties;

/**
 * Hands every signed tree head to the {@link CheckpointWitness} as a C2SP checkpoint
 * signed with the audit key, and reads the latest one back for verification. The tree
 * head is stored in the database first; a checkpoint the witness did not take is written
 * again by {@link #catchUp()} from the database's latest heads, every
 * {@code switchboard.audit.witness.retry-interval}.
 * {@code switchboard_audit_witness_lag_entries} counts the entries signed but not yet
 * witnessed.
 */
@Service
class Checkpoints {

	private static final Logger logger = LoggerFactory.getLogger(Checkpoints.class);

	private final AuditLog log;

	private final TreeHeadSigner signer;

	private final CheckpointWitness witness;

	private final String originPrefix;

	private final MeterRegistry meters;

	/** Per tenant, the largest tree size the witness is known to hold. */
	private final Map<String, Long> witnessed = new ConcurrentHashMap<>();

	/** Per tenant, the largest tree size signed. */
	private final Map<String, Long> signed = new ConcurrentHashMap<>();

	private volatile @Nullable String lastFailure;

	Checkpoints(AuditLog log, TreeHeadSigner signer, CheckpointWitness witness, WitnessProperties properties,
			MeterRegistry meters) {
		this.log = log;
		this.signer = signer;
		this.witness = witness;
		this.originPrefix = properties.origin();
		this.meters = meters;
		Gauge.builder("switchboard.audit.witness.lag", this, Checkpoints::lag)
			.baseUnit("entries")
			.description("Entries covered by signed tree heads but by no checkpoint the witness holds yet")
			.register(meters);
	}

	String origin(String tenantId) {
		return Checkpoint.originOf(this.originPrefix, tenantId);
	}

	/**
	 * Witnesses a tree head just signed. Never fails: a checkpoint the witness did not
	 * take is written again by the catch-up job.
	 * @param head the tree head
	 * @return completion
	 */
	Mono<Void> publish(TreeHead head) {
		if (!this.witness.stores()) {
			return Mono.empty();
		}
		this.signed.merge(head.tenantId(), head.treeSize(), Math::max);
		return Mono.fromRunnable(() -> write(head)).subscribeOn(Schedulers.boundedElastic()).then();
	}

	/** Writes the latest tree head of every tenant the witness is behind on. */
	@Scheduled(fixedDelayString = "${switchboard.audit.witness.retry-interval:30s}", initialDelay = 2000)
	void catchUp() {
		if (!this.witness.stores()) {
			return;
		}
		try {
			for (String tenant : this.log.tenants().collectList().blockOptional().orElse(List.of())) {
				TreeHead head = this.log.latestTreeHead(tenant).block();
				if (head == null) {
					continue;
				}
				this.signed.merge(tenant, head.treeSize(), Math::max);
				Long known = this.witnessed.get(tenant);
				if (known == null) {
					Optional<String> note = this.witness.latest(origin(tenant));
					known = note.map((text) -> Checkpoint.parse(SignedNote.parse(text).text()).treeSize()).orElse(0L);
					this.witnessed.merge(tenant, known, Math::max);
				}
				if (known < head.treeSize()) {
					write(head);
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			failed("Catching up the audit witness failed; retrying at the next interval", ex);
		}
	}

	/**
	 * The latest checkpoint the witness holds for the tenant's log, its signature checked
	 * against the audit keys.
	 * @param tenantId the tenant
	 * @return the checkpoint (with problems if it cannot be read or trusted), or empty
	 * when the witness holds none or there is no witness
	 */
	Mono<Optional<LogCheck.Witnessed>> latest(String tenantId) {
		if (!this.witness.stores()) {
			return Mono.just(Optional.empty());
		}
		return Mono.fromCallable(() -> read(tenantId)).subscribeOn(Schedulers.boundedElastic());
	}

	/**
	 * Entries signed but not yet witnessed, over all tenants this instance has seen.
	 * @return the lag
	 */
	long lag() {
		long lag = 0;
		for (Map.Entry<String, Long> tenant : this.signed.entrySet()) {
			lag += Math.max(0, tenant.getValue() - this.witnessed.getOrDefault(tenant.getKey(), 0L));
		}
		return lag;
	}

	@Nullable String lastFailure() {
		return this.lastFailure;
	}

	String witnessDescription() {
		return this.witness.description();
	}

	boolean witnessStores() {
		return this.witness.stores();
	}

	private Optional<LogCheck.Witnessed> read(String tenantId) {
		String origin = origin(tenantId);
		Optional<String> note;
		try {
			note = this.witness.latest(origin);
		}
		catch (IOException ex) {
			return Optional.of(LogCheck.Witnessed
				.unusable("the witness (" + this.witness.description() + ") could not be read: " + ex.getMessage()));
		}
		if (note.isEmpty()) {
			return Optional.empty();
		}
		try {
			SignedNote.Opened opened = SignedNote.parse(note.get());
			Checkpoint checkpoint = Checkpoint.parse(opened.text());
			List<String> problems = new ArrayList<>();
			if (!checkpoint.origin().equals(origin)) {
				problems.add("the witnessed checkpoint names the log " + checkpoint.origin() + ", not " + origin);
			}
			boolean trusted = false;
			for (PublicKey key : this.signer.trustedKeys()) {
				trusted |= opened.verifies(origin, key);
			}
			if (!trusted) {
				problems.add("the witnessed checkpoint of size " + checkpoint.treeSize()
						+ " is not signed by a trusted audit key");
			}
			else {
				this.witnessed.merge(tenantId, checkpoint.treeSize(), Math::max);
			}
			return Optional.of(new LogCheck.Witnessed(checkpoint.treeSize(), checkpoint.rootHash(), problems));
		}
		catch (IllegalArgumentException ex) {
			return Optional
				.of(LogCheck.Witnessed.unusable("the witnessed checkpoint is malformed: " + ex.getMessage()));
		}
	}

	private void write(TreeHead head) {
		String origin = origin(head.tenantId());
		Checkpoint checkpoint = new Checkpoint(origin, head.treeSize(), head.rootHash());
		try {
			this.witness.add(checkpoint,
					SignedNote.sign(checkpoint.text(), origin, this.signer.publicKey(), this.signer::signBytes));
			this.witnessed.merge(head.tenantId(), head.treeSize(), Math::max);
			this.lastFailure = null;
			this.meters.counter("switchboard.audit.witness.writes", "outcome", "written").increment();
		}
		catch (CheckpointConflictException ex) {
			this.meters.counter("switchboard.audit.witness.writes", "outcome", "conflict").increment();
			this.lastFailure = ex.getMessage();
			logger.error("The audit witness refused checkpoint {}: {}", checkpoint, ex.getMessage());
		}
		catch (IOException | RuntimeException ex) {
			this.meters.counter("switchboard.audit.witness.writes", "outcome", "failed").increment();
			failed("The audit witness (" + this.witness.description() + ") did not take checkpoint " + checkpoint
					+ "; it is written again at the next catch-up", ex);
		}
	}

	private void failed(String message, Exception ex) {
		this.lastFailure = ex.getMessage();
		logger.warn(message, ex);
	}

}

package dev.switchboard.audit.log;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code auditWitness} in {@code /actuator/health}: DOWN while the witness is behind and
 * its last write failed (the tree heads are stored; only their copies outside the
 * database are missing), with the lag in entries. Not part of readiness: the service
 * keeps recording while the witness is away.
 */
@Component
class AuditWitnessHealthIndicator implements HealthIndicator {

	private final Checkpoints checkpoints;

	AuditWitnessHealthIndicator(Checkpoints checkpoints) {
		this.checkpoints = checkpoints;
	}

	@Override
	public Health health() {
		long lag = this.checkpoints.lag();
		String failure = this.checkpoints.lastFailure();
		Health.Builder health = (this.checkpoints.witnessStores() && lag > 0 && failure != null) ? Health.down()
				: Health.up();
		health.withDetail("witness", this.checkpoints.witnessDescription()).withDetail("lagEntries", lag);
		if (failure != null) {
			health.withDetail("lastFailure", failure);
		}
		return health.build();
	}

}

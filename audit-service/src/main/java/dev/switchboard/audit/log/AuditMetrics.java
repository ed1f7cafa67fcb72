package dev.switchboard.audit.log;

import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * {@code switchboard_audit_log_entries} (entries in all tenants' logs) and
 * {@code switchboard_audit_verification_result} (1 when the last verification of every
 * log passed, 0 once any verification found tampering, NaN before the first run).
 */
@Component
class AuditMetrics {

	private final AtomicLong entries = new AtomicLong();

	private final AtomicLong verification = new AtomicLong(-1);

	AuditMetrics(MeterRegistry meters) {
		Gauge.builder("switchboard.audit.log.entries", this.entries, AtomicLong::get)
			.description("Entries in the audit logs of all tenants")
			.register(meters);
		Gauge
			.builder("switchboard.audit.verification.result", this.verification,
					(value) -> (value.get() < 0) ? Double.NaN : value.get())
			.description("1 when the last verification of the audit logs passed, 0 when it found tampering")
			.register(meters);
	}

	void entries(long count) {
		this.entries.set(count);
	}

	void verificationResult(boolean valid) {
		this.verification.set(valid ? 1 : 0);
	}

	void tamperingFound() {
		this.verification.set(0);
	}

}

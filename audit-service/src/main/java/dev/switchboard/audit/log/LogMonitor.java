package dev.switchboard.audit.log;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps the log's gauges current: the entry count every
 * {@code switchboard.audit.metrics-interval}, a verification of every tenant's log every
 * {@code switchboard.audit.verify-interval}.
 */
@Component
class LogMonitor {

	private static final Logger logger = LoggerFactory.getLogger(LogMonitor.class);

	private static final Duration TIMEOUT = Duration.ofMinutes(5);

	private final AuditLog log;

	private final AuditVerifier verifier;

	private final AuditMetrics metrics;

	LogMonitor(AuditLog log, AuditVerifier verifier, AuditMetrics metrics) {
		this.log = log;
		this.verifier = verifier;
		this.metrics = metrics;
	}

	@Scheduled(fixedDelayString = "${switchboard.audit.metrics-interval:15s}", initialDelay = 1000)
	void countEntries() {
		try {
			Long total = this.log.totalEntries().block(TIMEOUT);
			this.metrics.entries((total != null) ? total : 0);
		}
		catch (RuntimeException ex) {
			logger.warn("Counting audit entries failed; retrying at the next interval", ex);
		}
	}

	@Scheduled(fixedDelayString = "${switchboard.audit.verify-interval:10m}",
			initialDelayString = "${switchboard.audit.verify-initial-delay:30s}")
	void verifyAll() {
		try {
			Boolean valid = this.verifier.verifyAll().block(TIMEOUT);
			if (Boolean.FALSE.equals(valid)) {
				logger.error("The audit log failed verification: see GET /api/v1/audit/verify per tenant");
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Verifying the audit logs failed; retrying at the next interval", ex);
		}
	}

}

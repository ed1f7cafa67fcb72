package dev.switchboard.audit.log;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One entry of a tenant's audit log, as stored.
 *
 * @param tenantId the tenant
 * @param logIndex its position in the tenant's log, from 0
 * @param eventId the event's {@code ce_id}
 * @param eventType the event's CloudEvents type
 * @param conversationId the conversation
 * @param occurredAt when it happened ({@code ce_time}), to the microsecond
 * @param recordedAt when the audit log recorded it, to the microsecond
 * @param payload the event's JSON in PostgreSQL's canonical {@code jsonb} text form
 */
record AuditEntry(String tenantId, long logIndex, String eventId, String eventType, String conversationId,
		Instant occurredAt, Instant recordedAt, String payload) {

	/**
	 * The bytes the leaf hash covers; V2__tamper_evident_log.sql computes the same in
	 * SQL.
	 * @return the canonical form
	 */
	byte[] canonical() {
		return String
			.join("\n", this.tenantId, Long.toString(this.logIndex), this.eventId, this.eventType, this.conversationId,
					Long.toString(micros(this.occurredAt)), Long.toString(micros(this.recordedAt)), this.payload)
			.getBytes(StandardCharsets.UTF_8);
	}

	byte[] leafHash() {
		return MerkleTree.leafHash(canonical());
	}

	static Instant toMicros(Instant instant) {
		return instant.truncatedTo(ChronoUnit.MICROS);
	}

	private static long micros(Instant instant) {
		return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
	}

}

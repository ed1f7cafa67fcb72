package dev.switchboard.audit.log;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.jspecify.annotations.Nullable;

/**
 * One entry of a tenant's audit log, as stored.
 *
 * @param tenantId the tenant
 * @param logIndex its position in the tenant's log, from 0
 * @param eventId the event's {@code ce_id}
 * @param eventType the event's CloudEvents type
 * @param conversationId the conversation, null for a tenant-wide event (empty in the
 * canonical form)
 * @param occurredAt when it happened ({@code ce_time}), to the microsecond
 * @param recordedAt when the audit log recorded it, to the microsecond
 * @param payload the event's JSON in PostgreSQL's canonical {@code jsonb} text form
 */
public record AuditEntry(String tenantId, long logIndex, String eventId, String eventType,
		@Nullable String conversationId, Instant occurredAt, Instant recordedAt, String payload) {

	/**
	 * The bytes the leaf hash covers; V2__tamper_evident_log.sql computes the same in
	 * SQL.
	 * @return the canonical form
	 */
	public byte[] canonical() {
		return String
			.join("\n", this.tenantId, Long.toString(this.logIndex), this.eventId, this.eventType,
					(this.conversationId != null) ? this.conversationId : "", Long.toString(micros(this.occurredAt)),
					Long.toString(micros(this.recordedAt)), this.payload)
			.getBytes(StandardCharsets.UTF_8);
	}

	public byte[] leafHash() {
		return MerkleTree.leafHash(canonical());
	}

	public static Instant toMicros(Instant instant) {
		return instant.truncatedTo(ChronoUnit.MICROS);
	}

	private static long micros(Instant instant) {
		return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
	}

}

package dev.switchboard.audit.log;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import io.r2dbc.postgresql.codec.Json;

import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The tenants' append-only logs: entries with dense indexes and leaf hashes, and tree
 * heads.
 */
@Repository
public class AuditLog {

	private final DatabaseClient database;

	private final Clock clock;

	AuditLog(DatabaseClient database, Clock clock) {
		this.database = database;
		this.clock = clock;
	}

	/**
	 * Appends an entry at the end of the tenant's log. Run it in the consumer's
	 * transaction: the tenant's size row is locked until it commits, so indexes are dense
	 * and in commit order.
	 */
	public Mono<AuditEntry> append(String tenantId, String eventId, String eventType, @Nullable String conversationId,
			Instant occurredAt, byte[] payload) {
		Mono<String> canonicalPayload = this.database.sql("SELECT CAST(:payload AS jsonb)::text AS payload")
			.bind("payload", Json.of(payload))
			.map((row) -> row.get("payload", String.class))
			.one();
		// The next index, taken under the tenant's row lock until commit: one statement,
		// and
		// entries stay dense and in commit order.
		Mono<Long> index = this.database.sql("""
				INSERT INTO audit_log_size (tenant_id, size) VALUES (:tenant, 1)
				ON CONFLICT (tenant_id) DO UPDATE SET size = audit_log_size.size + 1
				RETURNING size - 1 AS log_index""")
			.bind("tenant", tenantId)
			.map((row) -> row.get("log_index", Long.class))
			.one();
		return canonicalPayload.zipWith(index).flatMap((both) -> {
			AuditEntry entry = new AuditEntry(tenantId, both.getT2(), eventId, eventType, conversationId,
					AuditEntry.toMicros(occurredAt), AuditEntry.toMicros(this.clock.instant()), both.getT1());
			return this.database.sql("""
					INSERT INTO audit_entry (event_id, tenant_id, event_type, conversation_id, occurred_at, recorded_at,
					                         payload, log_index, leaf_hash)
					VALUES (:eventId, :tenant, :type, :conversation, :occurredAt, :recordedAt, CAST(:payload AS jsonb),
					        :logIndex, :leafHash)""")
				.bind("eventId", entry.eventId())
				.bind("tenant", entry.tenantId())
				.bind("type", entry.eventType())
				.bind("conversation", Parameter.fromOrEmpty(
						(entry.conversationId() != null) ? UUID.fromString(entry.conversationId()) : null, UUID.class))
				.bind("occurredAt", utc(entry.occurredAt()))
				.bind("recordedAt", utc(entry.recordedAt()))
				.bind("payload", entry.payload())
				.bind("logIndex", entry.logIndex())
				.bind("leafHash", entry.leafHash())
				.then()
				.thenReturn(entry);
		});
	}

	/**
	 * The tenant's entries in log order, read back for recomputation (never trusting
	 * stored hashes).
	 */
	Flux<AuditEntry> entries(String tenantId) {
		return this.database.sql("""
				SELECT tenant_id, log_index, event_id, event_type, conversation_id, occurred_at, recorded_at,
				       payload::text AS payload
				FROM audit_entry WHERE tenant_id = :tenant ORDER BY log_index, id""")
			.bind("tenant", tenantId)
			.map(AuditLog::entry)
			.all();
	}

	Mono<List<byte[]>> storedLeafHashes(String tenantId, long treeSize) {
		return this.database
			.sql("SELECT leaf_hash FROM audit_entry WHERE tenant_id = :tenant AND log_index < :size ORDER BY log_index")
			.bind("tenant", tenantId)
			.bind("size", treeSize)
			.map((row) -> row.get("leaf_hash", byte[].class))
			.all()
			.collectList();
	}

	Mono<Long> size(String tenantId) {
		return this.database.sql("SELECT size FROM audit_log_size WHERE tenant_id = :tenant")
			.bind("tenant", tenantId)
			.map((row) -> row.get("size", Long.class))
			.one()
			.defaultIfEmpty(0L);
	}

	Flux<String> tenants() {
		return this.database.sql("SELECT tenant_id FROM audit_log_size ORDER BY tenant_id")
			.map((row) -> row.get("tenant_id", String.class))
			.all();
	}

	Mono<Long> totalEntries() {
		return this.database.sql("SELECT COALESCE(sum(size), 0)::bigint AS total FROM audit_log_size")
			.map((row) -> row.get("total", Long.class))
			.one()
			.defaultIfEmpty(0L);
	}

	Flux<String> tenantsWithUnsignedEntries() {
		return this.database
			.sql("""
					SELECT s.tenant_id FROM audit_log_size s
					WHERE s.size > COALESCE((SELECT max(h.tree_size) FROM audit_tree_head h WHERE h.tenant_id = s.tenant_id), 0)""")
			.map((row) -> row.get("tenant_id", String.class))
			.all();
	}

	Mono<Void> saveTreeHead(TreeHead head) {
		return this.database.sql("""
				INSERT INTO audit_tree_head (tenant_id, tree_size, root_hash, signed_at, key_id, signature)
				VALUES (:tenant, :size, :root, :signedAt, :keyId, :signature) ON CONFLICT DO NOTHING""")
			.bind("tenant", head.tenantId())
			.bind("size", head.treeSize())
			.bind("root", head.rootHash())
			.bind("signedAt", utc(head.signedAt()))
			.bind("keyId", head.keyId())
			.bind("signature", head.signature())
			.then();
	}

	Flux<TreeHead> treeHeads(String tenantId) {
		return this.database
			.sql("SELECT tenant_id, tree_size, root_hash, signed_at, key_id, signature FROM audit_tree_head"
					+ " WHERE tenant_id = :tenant ORDER BY tree_size")
			.bind("tenant", tenantId)
			.map(AuditLog::treeHead)
			.all();
	}

	Mono<TreeHead> treeHead(String tenantId, long treeSize) {
		return this.database
			.sql("SELECT tenant_id, tree_size, root_hash, signed_at, key_id, signature FROM audit_tree_head"
					+ " WHERE tenant_id = :tenant AND tree_size = :size")
			.bind("tenant", tenantId)
			.bind("size", treeSize)
			.map(AuditLog::treeHead)
			.one();
	}

	Mono<TreeHead> latestTreeHead(String tenantId) {
		return this.database
			.sql("SELECT tenant_id, tree_size, root_hash, signed_at, key_id, signature FROM audit_tree_head"
					+ " WHERE tenant_id = :tenant ORDER BY tree_size DESC LIMIT 1")
			.bind("tenant", tenantId)
			.map(AuditLog::treeHead)
			.one();
	}

	private static AuditEntry entry(Readable row) {
		return new AuditEntry(row.get("tenant_id", String.class), row.get("log_index", Long.class),
				row.get("event_id", String.class), row.get("event_type", String.class), conversation(row),
				instant(row, "occurred_at"), instant(row, "recorded_at"), row.get("payload", String.class));
	}

	private static @Nullable String conversation(Readable row) {
		UUID conversation = row.get("conversation_id", UUID.class);
		return (conversation != null) ? conversation.toString() : null;
	}

	private static TreeHead treeHead(Readable row) {
		return new TreeHead(row.get("tenant_id", String.class), row.get("tree_size", Long.class),
				row.get("root_hash", byte[].class), instant(row, "signed_at"), row.get("key_id", String.class),
				row.get("signature", byte[].class));
	}

	private static Instant instant(Readable row, String column) {
		OffsetDateTime value = row.get(column, OffsetDateTime.class);
		if (value == null) {
			throw new IllegalStateException(column + " is never null");
		}
		return value.toInstant();
	}

	private static OffsetDateTime utc(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

}

package dev.switchboard.audit.log;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.switchboard.support.consumer.BatchWrites;

/**
 * The tenants' append-only logs: entries with dense indexes and leaf hashes, and tree
 * heads.
 */
@Repository
public class AuditLog {

	private final DatabaseClient database;

	private final Clock clock;

	private final Function<List<Appending>, Mono<Void>> appender = this::appendAll;

	AuditLog(DatabaseClient database, Clock clock) {
		this.database = database;
		this.clock = clock;
	}

	/**
	 * Appends an entry at the end of the tenant's log, together with the other entries of
	 * the consumer's batch ({@link BatchWrites}) just before its transaction commits.
	 * @param tenantId the tenant
	 * @param eventId the event's {@code ce_id}
	 * @param eventType its CloudEvents type
	 * @param conversationId its conversation, null for a tenant-wide event
	 * @param occurredAt its {@code ce_time}
	 * @param payload the JSON to keep
	 * @return completion
	 */
	public Mono<Void> append(String tenantId, String eventId, String eventType, @Nullable String conversationId,
			Instant occurredAt, byte[] payload) {
		return BatchWrites.add(this.appender, new Appending(tenantId, eventId, eventType, conversationId,
				AuditEntry.toMicros(occurredAt), new String(payload, StandardCharsets.UTF_8)));
	}

	/**
	 * Appends entries in their order, in three statements whatever their number: their
	 * payloads in PostgreSQL's canonical {@code jsonb} text (what the leaf hashes cover),
	 * the next indexes of each tenant's log (its size row, locked until the transaction
	 * commits, so indexes are dense and in commit order; tenants in name order, so two
	 * transactions never wait for each other crosswise), and the entries.
	 */
	private Mono<Void> appendAll(List<Appending> entries) {
		Mono<List<String>> canonical = this.database.sql("""
				SELECT CAST(p AS jsonb)::text AS payload
				FROM unnest(CAST(:payloads AS text[])) WITH ORDINALITY AS t(p, n) ORDER BY n""")
			.bind("payloads", entries.stream().map(Appending::payload).toArray(String[]::new))
			.map((row) -> Objects.requireNonNull(row.get("payload", String.class)))
			.all()
			.collectList();
		Map<String, Long> counts = entries.stream()
			.collect(Collectors.groupingBy(Appending::tenantId, TreeMap::new, Collectors.counting()));
		Mono<Map<String, Long>> firstIndexes = Flux.fromIterable(counts.entrySet())
			.concatMap((tenant) -> this.database.sql("""
					INSERT INTO audit_log_size (tenant_id, size) VALUES (:tenant, :count)
					ON CONFLICT (tenant_id) DO UPDATE SET size = audit_log_size.size + EXCLUDED.size
					RETURNING size - :count AS first_index""")
				.bind("tenant", tenant.getKey())
				.bind("count", tenant.getValue())
				.map((row) -> Map.entry(tenant.getKey(), Objects.requireNonNull(row.get("first_index", Long.class))))
				.one())
			.collectMap(Map.Entry::getKey, Map.Entry::getValue, HashMap::new);
		return canonical.zipWith(firstIndexes).flatMap((both) -> {
			Instant recordedAt = AuditEntry.toMicros(this.clock.instant());
			Map<String, Long> next = both.getT2();
			List<AuditEntry> rows = new ArrayList<>(entries.size());
			for (int i = 0; i < entries.size(); i++) {
				Appending one = entries.get(i);
				long index = next.merge(one.tenantId(), 1L, Long::sum) - 1;
				rows.add(new AuditEntry(one.tenantId(), index, one.eventId(), one.eventType(), one.conversationId(),
						one.occurredAt(), recordedAt, both.getT1().get(i)));
			}
			return insert(rows);
		});
	}

	private Mono<Void> insert(List<AuditEntry> rows) {
		HexFormat hex = HexFormat.of();
		return this.database.sql("""
				INSERT INTO audit_entry (event_id, tenant_id, event_type, conversation_id, occurred_at, recorded_at,
				                         payload, log_index, leaf_hash)
				SELECT e, t, y, CAST(NULLIF(c, '') AS uuid), CAST(o AS timestamptz), CAST(r AS timestamptz),
				       CAST(p AS jsonb), CAST(i AS bigint), decode(h, 'hex')
				FROM unnest(CAST(:eventIds AS text[]), CAST(:tenants AS text[]), CAST(:types AS text[]),
				            CAST(:conversations AS text[]), CAST(:occurred AS text[]), CAST(:recorded AS text[]),
				            CAST(:payloads AS text[]), CAST(:indexes AS text[]), CAST(:hashes AS text[]))
				     AS x(e, t, y, c, o, r, p, i, h)""")
			.bind("eventIds", BatchWrites.column(rows, AuditEntry::eventId))
			.bind("tenants", BatchWrites.column(rows, AuditEntry::tenantId))
			.bind("types", BatchWrites.column(rows, AuditEntry::eventType))
			.bind("conversations",
					BatchWrites.column(rows, (row) -> (row.conversationId() != null) ? row.conversationId() : ""))
			.bind("occurred", BatchWrites.column(rows, (row) -> row.occurredAt().toString()))
			.bind("recorded", BatchWrites.column(rows, (row) -> row.recordedAt().toString()))
			.bind("payloads", BatchWrites.column(rows, AuditEntry::payload))
			.bind("indexes", BatchWrites.column(rows, (row) -> Long.toString(row.logIndex())))
			.bind("hashes", BatchWrites.column(rows, (row) -> hex.formatHex(row.leafHash())))
			.then();
	}

	/** An entry waiting for its batch's append. */
	private record Appending(String tenantId, String eventId, String eventType, @Nullable String conversationId,
			Instant occurredAt, String payload) {

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
		return storedLeafHashes(tenantId, 0, treeSize);
	}

	/**
	 * The leaf hashes stored at append of the entries {@code from} (inclusive) to
	 * {@code to} (exclusive), in log order.
	 */
	Mono<List<byte[]>> storedLeafHashes(String tenantId, long from, long to) {
		return this.database.sql("""
				SELECT leaf_hash FROM audit_entry
				WHERE tenant_id = :tenant AND log_index >= :from AND log_index < :to ORDER BY log_index""")
			.bind("tenant", tenantId)
			.bind("from", from)
			.bind("to", to)
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

package dev.switchboard.audit.log;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * Finds a tenant's entries by contact, agent, device, type and period, in log order. An
 * agent's or a device's entries include the statuses of the messages they sent; a
 * contact's include everything in the contact's conversation.
 */
@Repository
class AuditSearch {

	private final DatabaseClient database;

	AuditSearch(DatabaseClient database) {
		this.database = database;
	}

	/**
	 * Entries matching the criteria.
	 * @param tenantId the tenant
	 * @param criteria what to match
	 * @param afterIndex only entries after this index, or null
	 * @param beforeIndex only entries before this index, or null
	 * @param limit at most this many, or null for all
	 * @return the entries with the contact of their conversation
	 */
	Mono<List<Found>> find(String tenantId, Criteria criteria, @Nullable Long afterIndex, @Nullable Long beforeIndex,
			@Nullable Integer limit) {
		StringBuilder sql = new StringBuilder("""
				SELECT e.tenant_id, e.log_index, e.event_id, e.event_type, e.conversation_id, e.occurred_at,
				       e.recorded_at, e.payload::text AS payload,
				       (SELECT c.contact_id FROM contact c WHERE c.tenant_id = e.tenant_id
				        AND c.conversation_id = e.conversation_id LIMIT 1) AS conversation_contact
				FROM audit_entry e WHERE e.tenant_id = :tenant""");
		if (criteria.contactId() != null) {
			sql.append(" AND (e.payload ->> 'contactId' = :contact OR e.conversation_id IN")
				.append(" (SELECT conversation_id FROM contact WHERE tenant_id = :tenant AND contact_id = :contact))");
		}
		if (criteria.agentId() != null) {
			sql.append(" AND (e.payload ->> 'agentId' = :agent OR (e.payload ->> 'messageId') IN")
				.append(" (SELECT message_id FROM message_info WHERE tenant_id = :tenant AND agent_id = :agent))");
		}
		if (criteria.deviceId() != null) {
			sql.append(" AND (e.payload ->> 'deviceId' = :device OR (e.payload ->> 'messageId') IN")
				.append(" (SELECT message_id FROM message_info WHERE tenant_id = :tenant AND device_id = :device))");
		}
		if (criteria.type() != null) {
			sql.append(" AND (e.event_type = :type OR split_part(e.event_type, '.', 4) = :type)");
		}
		if (criteria.from() != null) {
			sql.append(" AND e.occurred_at >= :from");
		}
		if (criteria.to() != null) {
			sql.append(" AND e.occurred_at < :to");
		}
		if (afterIndex != null) {
			sql.append(" AND e.log_index > :after");
		}
		if (beforeIndex != null) {
			sql.append(" AND e.log_index < :before");
		}
		sql.append(" ORDER BY e.log_index");
		if (limit != null) {
			sql.append(" LIMIT :limit");
		}
		DatabaseClient.GenericExecuteSpec spec = this.database.sql(sql.toString()).bind("tenant", tenantId);
		if (criteria.contactId() != null) {
			spec = spec.bind("contact", criteria.contactId());
		}
		if (criteria.agentId() != null) {
			spec = spec.bind("agent", criteria.agentId());
		}
		if (criteria.deviceId() != null) {
			spec = spec.bind("device", criteria.deviceId());
		}
		if (criteria.type() != null) {
			spec = spec.bind("type", criteria.type());
		}
		if (criteria.from() != null) {
			spec = spec.bind("from", utc(criteria.from()));
		}
		if (criteria.to() != null) {
			spec = spec.bind("to", utc(criteria.to()));
		}
		if (afterIndex != null) {
			spec = spec.bind("after", afterIndex);
		}
		if (beforeIndex != null) {
			spec = spec.bind("before", beforeIndex);
		}
		if (limit != null) {
			spec = spec.bind("limit", limit);
		}
		return spec.map(AuditSearch::found).all().collectList();
	}

	private static Found found(Readable row) {
		UUID conversation = row.get("conversation_id", UUID.class);
		AuditEntry entry = new AuditEntry(row.get("tenant_id", String.class), row.get("log_index", Long.class),
				row.get("event_id", String.class), row.get("event_type", String.class),
				(conversation != null) ? conversation.toString() : null, instant(row, "occurred_at"),
				instant(row, "recorded_at"), row.get("payload", String.class));
		return new Found(entry, row.get("conversation_contact", String.class));
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

	/**
	 * What to look for; null matches anything.
	 *
	 * @param contactId the inbox's contact id
	 * @param agentId the agent's subject
	 * @param deviceId the device id
	 * @param type a CloudEvents type, full or its name ({@code message-sent})
	 * @param from occurred at or after
	 * @param to occurred before
	 */
	record Criteria(@Nullable String contactId, @Nullable String agentId, @Nullable String deviceId,
			@Nullable String type, @Nullable Instant from, @Nullable Instant to) {

	}

	/**
	 * An entry found, with the contact of its conversation.
	 *
	 * @param entry the entry
	 * @param conversationContact the contact whose conversation it belongs to, if known
	 */
	record Found(AuditEntry entry, @Nullable String conversationContact) {

	}

}

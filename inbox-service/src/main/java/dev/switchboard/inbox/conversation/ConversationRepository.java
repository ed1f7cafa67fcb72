package dev.switchboard.inbox.conversation;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import dev.switchboard.events.WhatsAppError;
import dev.switchboard.support.web.TimeCursor;

/** Reads conversations and messages, always within one tenant. */
@Repository
class ConversationRepository {

	private static final String SELECT_CONVERSATIONS = """
			SELECT c.id, c.contact_id, k.wa_id, k.profile_name, c.status, c.unread_count, c.last_message_at,
			       c.last_message_text, r.assignee, r.window_expires_at,
			       ARRAY(SELECT l.name FROM conversation_label cl JOIN label l ON l.id = cl.label_id
			             WHERE cl.conversation_id = c.id ORDER BY l.name) AS labels
			FROM conversation c JOIN contact k ON k.id = c.contact_id
			LEFT JOIN routing_view r ON r.conversation_id = c.id AND r.tenant_id = c.tenant_id
			""";

	private final DatabaseClient database;

	private final JsonMapper json;

	ConversationRepository(DatabaseClient database, JsonMapper json) {
		this.database = database;
		this.json = json;
	}

	Mono<Page<ConversationView>> list(String tenantId, ConversationFilter filter, int limit,
			@Nullable TimeCursor after) {
		StringBuilder where = new StringBuilder(" WHERE c.tenant_id = :tenant");
		java.util.Map<String, Object> values = new java.util.HashMap<>();
		values.put("tenant", tenantId);
		values.put("limit", limit + 1);
		if (after != null) {
			where.append(" AND (c.last_message_at, c.id) < (:afterAt, :afterId)");
			values.put("afterAt", after.at());
			values.put("afterId", after.id());
		}
		if (filter.status() != null) {
			where.append(" AND c.status = :status");
			values.put("status", filter.status());
		}
		if (filter.unread()) {
			where.append(" AND c.unread_count > 0");
		}
		if (filter.assignee() != null) {
			where.append(" AND r.assignee = :assignee");
			values.put("assignee", filter.assignee());
		}
		if (filter.unassigned()) {
			where.append(" AND r.assignee IS NULL");
		}
		if (filter.contactId() != null) {
			where.append(" AND c.contact_id = :contact");
			values.put("contact", filter.contactId());
		}
		if (filter.label() != null) {
			where.append(" " + """
					AND EXISTS (SELECT 1 FROM conversation_label cl JOIN label l ON l.id = cl.label_id
					            WHERE cl.conversation_id = c.id AND l.name = :label)""");
			values.put("label", filter.label());
		}
		if (filter.text() != null) {
			where.append(
					" " + """
							AND EXISTS (SELECT 1 FROM message m WHERE m.conversation_id = c.id
								            AND to_tsvector('simple', coalesce(m.body, '')) @@ plainto_tsquery('simple', :text))""");
			values.put("text", filter.text());
		}
		return this.database
			.sql(SELECT_CONVERSATIONS + where + " ORDER BY c.last_message_at DESC, c.id DESC LIMIT :limit")
			.bindValues(values)
			.map(ConversationRepository::conversation)
			.all()
			.collectList()
			.map((rows) -> page(rows, limit,
					(last) -> new TimeCursor(last.lastMessageAt(), UUID.fromString(last.id())).encode()));
	}

	Mono<ConversationView> conversation(String tenantId, UUID conversationId) {
		return this.database.sql(SELECT_CONVERSATIONS + " WHERE c.tenant_id = :tenant AND c.id = :id")
			.bind("tenant", tenantId)
			.bind("id", conversationId)
			.map(ConversationRepository::conversation)
			.one();
	}

	/**
	 * How many conversations wait for an answer (unread messages, not resolved): the
	 * agent's own, the unassigned ones, and all of the tenant's.
	 */
	Mono<UnreadCounts> unreadCounts(String tenantId, String agent) {
		return this.database.sql("""
				SELECT count(*) FILTER (WHERE r.assignee = :agent) AS mine,
				       count(*) FILTER (WHERE r.assignee IS NULL) AS unassigned,
				       count(*) AS all_unread
				FROM conversation c
				LEFT JOIN routing_view r ON r.conversation_id = c.id AND r.tenant_id = c.tenant_id
				WHERE c.tenant_id = :tenant AND c.unread_count > 0 AND c.status <> 'RESOLVED'""")
			.bind("tenant", tenantId)
			.bind("agent", agent)
			.map((row) -> new UnreadCounts(count(row, "mine"), count(row, "unassigned"), count(row, "all_unread")))
			.one();
	}

	private static long count(Readable row, String column) {
		Long value = row.get(column, Long.class);
		return (value != null) ? value : 0;
	}

	Mono<Boolean> exists(String tenantId, UUID conversationId) {
		return this.database.sql("SELECT 1 FROM conversation WHERE id = :id AND tenant_id = :tenant")
			.bind("id", conversationId)
			.bind("tenant", tenantId)
			.map((row) -> true)
			.one()
			.defaultIfEmpty(false);
	}

	Mono<Page<MessageView>> messages(String tenantId, UUID conversationId, int limit, @Nullable TimeCursor after) {
		String keyset = (after != null) ? " AND (created_at, id) > (:afterAt, :afterId)" : "";
		DatabaseClient.GenericExecuteSpec spec = this.database.sql("""
				SELECT id, conversation_id, direction, wamid, type, body, media_id, mime_type,
				       COALESCE(whatsapp_timestamp, sent_at) AS sent_at, created_at, status, delivered_at, read_at,
				       error, CAST(errors AS text) AS errors, agent_id, template_name
				FROM message WHERE tenant_id = :tenant AND conversation_id = :conversation
				""" + keyset + " ORDER BY created_at, id LIMIT :limit")
			.bind("tenant", tenantId)
			.bind("conversation", conversationId)
			.bind("limit", limit + 1);
		if (after != null) {
			spec = spec.bind("afterAt", after.at()).bind("afterId", after.id());
		}
		return spec.map((row) -> message(row))
			.all()
			.collectList()
			.map((rows) -> page(rows, limit,
					(last) -> new TimeCursor(last.storedAt(), UUID.fromString(last.id())).encode()));
	}

	Mono<MessageView> message(String tenantId, UUID messageId) {
		return this.database.sql("""
				SELECT id, conversation_id, direction, wamid, type, body, media_id, mime_type,
				       COALESCE(whatsapp_timestamp, sent_at) AS sent_at, created_at, status, delivered_at, read_at,
				       error, CAST(errors AS text) AS errors, agent_id, template_name
				FROM message WHERE tenant_id = :tenant AND id = :id""")
			.bind("tenant", tenantId)
			.bind("id", messageId)
			.map((row) -> message(row))
			.one();
	}

	private static <T> Page<T> page(List<T> rows, int limit, java.util.function.Function<T, String> cursorOf) {
		if (rows.size() <= limit) {
			return new Page<>(rows, null);
		}
		List<T> items = rows.subList(0, limit);
		return new Page<>(List.copyOf(items), cursorOf.apply(items.getLast()));
	}

	private static ConversationView conversation(Readable row) {
		String[] labels = row.get("labels", String[].class);
		return new ConversationView(uuid(row, "id"), uuid(row, "contact_id"), row.get("wa_id", String.class),
				row.get("profile_name", String.class), row.get("status", String.class),
				row.get("unread_count", Integer.class), instant(row, "last_message_at"),
				row.get("last_message_text", String.class), row.get("assignee", String.class),
				nullableInstant(row, "window_expires_at"),
				(labels != null) ? java.util.Arrays.asList(labels) : List.of());
	}

	private MessageView message(Readable row) {
		String errors = row.get("errors", String.class);
		return new MessageView(uuid(row, "id"), uuid(row, "conversation_id"), row.get("direction", String.class),
				row.get("wamid", String.class), row.get("type", String.class), row.get("body", String.class),
				row.get("media_id", String.class), row.get("mime_type", String.class), nullableInstant(row, "sent_at"),
				instant(row, "created_at"), row.get("status", String.class), nullableInstant(row, "delivered_at"),
				nullableInstant(row, "read_at"), row.get("error", String.class),
				(errors != null) ? List.of(this.json.readValue(errors, WhatsAppError[].class)) : null,
				row.get("agent_id", String.class), row.get("template_name", String.class));
	}

	private static @Nullable Instant nullableInstant(Readable row, String column) {
		OffsetDateTime value = row.get(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	private static String uuid(Readable row, String column) {
		return String.valueOf(row.get(column, UUID.class));
	}

	private static Instant instant(Readable row, String column) {
		OffsetDateTime value = row.get(column, OffsetDateTime.class);
		if (value == null) {
			throw new IllegalStateException(column + " is never null");
		}
		return value.toInstant();
	}

}

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

/** Reads conversations and messages, always within one tenant. */
@Repository
class ConversationRepository {

	private final DatabaseClient database;

	ConversationRepository(DatabaseClient database) {
		this.database = database;
	}

	Mono<Page<ConversationView>> list(String tenantId, int limit, @Nullable Cursor after) {
		String keyset = (after != null) ? " AND (c.last_message_at, c.id) < (:afterAt, :afterId)" : "";
		DatabaseClient.GenericExecuteSpec spec = this.database.sql("""
				SELECT c.id, c.contact_id, k.wa_id, k.profile_name, c.status, c.unread_count, c.last_message_at
				FROM conversation c JOIN contact k ON k.id = c.contact_id
				WHERE c.tenant_id = :tenant
				""" + keyset + " ORDER BY c.last_message_at DESC, c.id DESC LIMIT :limit")
			.bind("tenant", tenantId)
			.bind("limit", limit + 1);
		if (after != null) {
			spec = spec.bind("afterAt", after.at()).bind("afterId", after.id());
		}
		return spec.map(ConversationRepository::conversation)
			.all()
			.collectList()
			.map((rows) -> page(rows, limit,
					(last) -> new Cursor(last.lastMessageAt(), UUID.fromString(last.id())).encode()));
	}

	Mono<Boolean> exists(String tenantId, UUID conversationId) {
		return this.database.sql("SELECT 1 FROM conversation WHERE id = :id AND tenant_id = :tenant")
			.bind("id", conversationId)
			.bind("tenant", tenantId)
			.map((row) -> true)
			.one()
			.defaultIfEmpty(false);
	}

	Mono<Page<MessageView>> messages(String tenantId, UUID conversationId, int limit, @Nullable Cursor after) {
		String keyset = (after != null) ? " AND (created_at, id) > (:afterAt, :afterId)" : "";
		DatabaseClient.GenericExecuteSpec spec = this.database.sql("""
				SELECT id, conversation_id, direction, wamid, type, body, whatsapp_timestamp, created_at
				FROM message WHERE tenant_id = :tenant AND conversation_id = :conversation
				""" + keyset + " ORDER BY created_at, id LIMIT :limit")
			.bind("tenant", tenantId)
			.bind("conversation", conversationId)
			.bind("limit", limit + 1);
		if (after != null) {
			spec = spec.bind("afterAt", after.at()).bind("afterId", after.id());
		}
		return spec.map(ConversationRepository::message)
			.all()
			.collectList()
			.map((rows) -> page(rows, limit,
					(last) -> new Cursor(last.storedAt(), UUID.fromString(last.id())).encode()));
	}

	private static <T> Page<T> page(List<T> rows, int limit, java.util.function.Function<T, String> cursorOf) {
		if (rows.size() <= limit) {
			return new Page<>(rows, null);
		}
		List<T> items = rows.subList(0, limit);
		return new Page<>(List.copyOf(items), cursorOf.apply(items.getLast()));
	}

	private static ConversationView conversation(Readable row) {
		return new ConversationView(uuid(row, "id"), uuid(row, "contact_id"), row.get("wa_id", String.class),
				row.get("profile_name", String.class), row.get("status", String.class),
				row.get("unread_count", Integer.class), instant(row, "last_message_at"));
	}

	private static MessageView message(Readable row) {
		OffsetDateTime sentAt = row.get("whatsapp_timestamp", OffsetDateTime.class);
		return new MessageView(uuid(row, "id"), uuid(row, "conversation_id"), row.get("direction", String.class),
				row.get("wamid", String.class), row.get("type", String.class), row.get("body", String.class),
				(sentAt != null) ? sentAt.toInstant() : null, instant(row, "created_at"));
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

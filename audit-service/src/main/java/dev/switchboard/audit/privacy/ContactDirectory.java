package dev.switchboard.audit.privacy;

import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import dev.switchboard.audit.log.EventProjection;
import dev.switchboard.events.MessageReceived;
import dev.switchboard.events.MessageSent;
import dev.switchboard.events.SwitchboardEvent;
import dev.switchboard.support.consumer.BatchWrites;

/** The contacts of each tenant and their conversations, from the inbox's messages. */
@Component
class ContactDirectory implements EventProjection {

	private final DatabaseClient database;

	private final Function<List<Row>, Mono<Void>> writer = this::write;

	ContactDirectory(DatabaseClient database) {
		this.database = database;
	}

	@Override
	public Mono<Void> project(SwitchboardEvent event) {
		return switch (event) {
			case MessageReceived received ->
				remember(received.tenantId(), received.contactId(), received.waId(), received.conversationId());
			case MessageSent sent -> remember(sent.tenantId(), sent.contactId(), sent.waId(), sent.conversationId());
			default -> Mono.empty();
		};
	}

	private Mono<Void> remember(String tenantId, String contactId, String waId, String conversationId) {
		return BatchWrites.add(this.writer, new Row(tenantId, contactId, waId, conversationId));
	}

	/** Remembers a batch's contacts with one statement; most are known already. */
	private Mono<Void> write(List<Row> rows) {
		return this.database.sql("""
				INSERT INTO contact (tenant_id, contact_id, wa_id, conversation_id)
				SELECT t, c, w, CAST(v AS uuid)
				FROM unnest(CAST(:tenants AS text[]), CAST(:contacts AS text[]), CAST(:waIds AS text[]),
				            CAST(:conversations AS text[])) AS r(t, c, w, v)
				ON CONFLICT DO NOTHING""")
			.bind("tenants", BatchWrites.column(rows, Row::tenantId))
			.bind("contacts", BatchWrites.column(rows, Row::contactId))
			.bind("waIds", BatchWrites.column(rows, Row::waId))
			.bind("conversations", BatchWrites.column(rows, Row::conversationId))
			.then();
	}

	/**
	 * A contact's conversation in the tenant.
	 * @param tenantId the tenant
	 * @param contactId the inbox's contact id
	 * @return the conversation id, empty for a contact the tenant never had
	 */
	Mono<UUID> conversation(String tenantId, String contactId) {
		return this.database
			.sql("SELECT conversation_id FROM contact WHERE tenant_id = :tenant AND contact_id = :contact")
			.bind("tenant", tenantId)
			.bind("contact", contactId)
			.map((row) -> row.get("conversation_id", UUID.class))
			.one();
	}

	private record Row(String tenantId, String contactId, String waId, String conversationId) {

	}

}

package dev.switchboard.audit.privacy;

import java.util.UUID;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import dev.switchboard.audit.log.EventProjection;
import dev.switchboard.events.MessageReceived;
import dev.switchboard.events.MessageSent;
import dev.switchboard.events.SwitchboardEvent;

/** The contacts of each tenant and their conversations, from the inbox's messages. */
@Component
class ContactDirectory implements EventProjection {

	private final DatabaseClient database;

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
		return this.database.sql("""
				INSERT INTO contact (tenant_id, contact_id, wa_id, conversation_id)
				VALUES (:tenant, :contact, :waId, :conversation) ON CONFLICT DO NOTHING""")
			.bind("tenant", tenantId)
			.bind("contact", contactId)
			.bind("waId", waId)
			.bind("conversation", UUID.fromString(conversationId))
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

}

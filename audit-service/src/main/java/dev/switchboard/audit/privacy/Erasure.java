package dev.switchboard.audit.privacy;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.switchboard.audit.log.AuditLog;

/**
 * Erasure of a contact's message bodies by destroying their keys, and the legal holds
 * that refuse it. Each erasure, hold and release is itself appended to the audit log.
 */
@Service
class Erasure {

	static final String CONTACT_ERASED = "dev.switchboard.audit.contact-erased.v1";

	static final String LEGAL_HOLD_PLACED = "dev.switchboard.audit.legal-hold-placed.v1";

	static final String LEGAL_HOLD_RELEASED = "dev.switchboard.audit.legal-hold-released.v1";

	private final DatabaseClient database;

	private final ContactDirectory contacts;

	private final AuditLog log;

	private final TransactionalOperator transactions;

	private final JsonMapper json;

	private final Clock clock;

	Erasure(DatabaseClient database, ContactDirectory contacts, AuditLog log, TransactionalOperator transactions,
			JsonMapper json, Clock clock) {
		this.database = database;
		this.contacts = contacts;
		this.log = log;
		this.transactions = transactions;
		this.json = json;
		this.clock = clock;
	}

	Mono<Erased> erase(String tenantId, String contactId, String requestedBy) {
		Instant now = this.clock.instant();
		return lock(tenantId, contactId).then(known(tenantId, contactId))
			.flatMap((conversation) -> hold(tenantId, contactId)
				.flatMap((hold) -> Mono.<Erased>error(new LegalHoldException(hold)))
				.switchIfEmpty(Mono.defer(() -> this.database.sql("""
						UPDATE contact_key SET key_sealed = NULL, erased_at = :at
						WHERE tenant_id = :tenant AND contact_id = :contact AND erased_at IS NULL""")
					.bind("at", utc(now))
					.bind("tenant", tenantId)
					.bind("contact", contactId)
					.fetch()
					.rowsUpdated()
					.flatMap((destroyed) -> {
						ObjectNode payload = payload(tenantId, contactId, requestedBy, now);
						payload.put("keysDestroyed", destroyed);
						return append(tenantId, CONTACT_ERASED, conversation, now, payload)
							.thenReturn(new Erased(contactId, destroyed, now));
					}))))
			.as(this.transactions::transactional);
	}

	Mono<Hold> placeHold(String tenantId, String contactId, String reason, String placedBy) {
		Instant now = this.clock.instant();
		return lock(tenantId, contactId).then(known(tenantId, contactId))
			.flatMap((conversation) -> this.database.sql("""
					INSERT INTO legal_hold (tenant_id, contact_id, reason, placed_by, placed_at)
					VALUES (:tenant, :contact, :reason, :by, :at)
					ON CONFLICT (tenant_id, contact_id) DO UPDATE SET reason = EXCLUDED.reason,
					    placed_by = EXCLUDED.placed_by, placed_at = EXCLUDED.placed_at""")
				.bind("tenant", tenantId)
				.bind("contact", contactId)
				.bind("reason", reason)
				.bind("by", placedBy)
				.bind("at", utc(now))
				.then()
				.then(Mono.defer(() -> {
					ObjectNode payload = payload(tenantId, contactId, placedBy, now);
					payload.put("reason", reason);
					return append(tenantId, LEGAL_HOLD_PLACED, conversation, now, payload);
				}))
				.thenReturn(new Hold(contactId, reason, placedBy, now)))
			.as(this.transactions::transactional);
	}

	/**
	 * Releases a contact's hold.
	 * @return whether there was one
	 */
	Mono<Boolean> releaseHold(String tenantId, String contactId, String releasedBy) {
		Instant now = this.clock.instant();
		return lock(tenantId, contactId).then(known(tenantId, contactId))
			.flatMap((conversation) -> this.database
				.sql("DELETE FROM legal_hold WHERE tenant_id = :tenant AND contact_id = :contact")
				.bind("tenant", tenantId)
				.bind("contact", contactId)
				.fetch()
				.rowsUpdated()
				.flatMap((deleted) -> (deleted == 0) ? Mono.just(false)
						: append(tenantId, LEGAL_HOLD_RELEASED, conversation, now,
								payload(tenantId, contactId, releasedBy, now))
							.thenReturn(true)))
			.as(this.transactions::transactional);
	}

	Mono<Hold> hold(String tenantId, String contactId) {
		return this.database.sql("""
				SELECT contact_id, reason, placed_by, placed_at FROM legal_hold
				WHERE tenant_id = :tenant AND contact_id = :contact""")
			.bind("tenant", tenantId)
			.bind("contact", contactId)
			.map(Erasure::hold)
			.one();
	}

	private Mono<UUID> known(String tenantId, String contactId) {
		return this.contacts.conversation(tenantId, contactId)
			.switchIfEmpty(Mono.error(() -> new UnknownContactException(contactId)));
	}

	private Mono<Void> lock(String tenantId, String contactId) {
		return this.database
			.sql("SELECT pg_advisory_xact_lock(hashtextextended('audit.contact:' || :tenant || ':' || :contact, 0))")
			.bind("tenant", tenantId)
			.bind("contact", contactId)
			.then();
	}

	private ObjectNode payload(String tenantId, String contactId, String by, Instant at) {
		ObjectNode payload = this.json.createObjectNode();
		payload.put("tenantId", tenantId);
		payload.put("contactId", contactId);
		payload.put("by", by);
		payload.put("at", at.toString());
		return payload;
	}

	private Mono<Void> append(String tenantId, String type, UUID conversation, Instant at, ObjectNode payload) {
		return this.log
			.append(tenantId, UUID.randomUUID().toString(), type, conversation.toString(), at,
					this.json.writeValueAsBytes(payload))
			.then();
	}

	private static Hold hold(Readable row) {
		OffsetDateTime placedAt = row.get("placed_at", OffsetDateTime.class);
		return new Hold(row.get("contact_id", String.class), row.get("reason", String.class),
				row.get("placed_by", String.class), (placedAt != null) ? placedAt.toInstant() : Instant.EPOCH);
	}

	private static OffsetDateTime utc(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

	/**
	 * The outcome of an erasure.
	 *
	 * @param contactId the contact
	 * @param keysDestroyed how many keys were destroyed (0 when already erased)
	 * @param erasedAt when
	 */
	record Erased(String contactId, long keysDestroyed, Instant erasedAt) {

	}

	/**
	 * A legal hold on a contact.
	 *
	 * @param contactId the contact
	 * @param reason why
	 * @param placedBy who placed it
	 * @param placedAt when
	 */
	record Hold(String contactId, String reason, String placedBy, Instant placedAt) {

	}

	/** The tenant never had the contact. */
	static class UnknownContactException extends RuntimeException {

		UnknownContactException(String contactId) {
			super("No contact " + contactId + " in this tenant");
		}

	}

	/** Erasure is refused while a legal hold stands. */
	static class LegalHoldException extends RuntimeException {

		private final Hold hold;

		LegalHoldException(Hold hold) {
			super("Contact " + hold.contactId() + " is under a legal hold placed by " + hold.placedBy() + " at "
					+ hold.placedAt() + " (" + hold.reason()
					+ "); their data cannot be erased until the hold is released");
			this.hold = hold;
		}

		Hold hold() {
			return this.hold;
		}

	}

}

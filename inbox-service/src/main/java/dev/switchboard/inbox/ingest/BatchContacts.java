package dev.switchboard.inbox.ingest;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

import dev.switchboard.events.SwitchboardEvent;
import dev.switchboard.events.WhatsAppMessageReceived;

/**
 * The contacts of one batch's new inbound messages: created or updated with one statement
 * and read back with their labels with another, before the messages are stored, instead
 * of two statements per message. A contact that wrote several times in the batch takes
 * the last profile name Meta sent, as one message after the other would. A contact that
 * is already known, opted in or out, under the same profile name, is not written at all:
 * most messages come from such contacts, and rewriting the row for each (a new row
 * version, its index entries, its WAL) was one of the inbox's costliest statements.
 */
final class BatchContacts {

	private final Map<Key, Contact> resolved = new HashMap<>();

	/**
	 * Creates the contacts of the messages that will be stored, updates those whose
	 * profile name or opt-in changes, and reads every one's id and labels.
	 * @param database the inbox's database
	 * @param events the events to be applied, in order (others than messages are ignored)
	 * @param now the time of the transaction
	 * @return completion, once {@link #of} knows every one of them
	 */
	Mono<Void> resolve(DatabaseClient database, List<SwitchboardEvent> events, OffsetDateTime now) {
		this.resolved.clear();
		Map<Key, @Nullable String> names = new LinkedHashMap<>();
		for (SwitchboardEvent event : events) {
			if (event instanceof WhatsAppMessageReceived received) {
				Key contact = new Key(received.tenantId(), received.waId());
				String previous = names.get(contact);
				names.put(contact, (received.profileName() != null) ? received.profileName() : previous);
			}
		}
		if (names.isEmpty()) {
			return Mono.empty();
		}
		// In key order: concurrent batches lock the rows they share in the same order.
		List<Key> contacts = new ArrayList<>(names.keySet());
		contacts.sort(Comparator.comparing(Key::tenantId).thenComparing(Key::waId));
		String[] tenants = contacts.stream().map(Key::tenantId).toArray(String[]::new);
		String[] waIds = contacts.stream().map(Key::waId).toArray(String[]::new);
		// A row the condition leaves alone is only locked, as an update would have; the
		// read that follows (a statement of its own, so it sees the rows just inserted)
		// finds it with the others.
		return database
			.sql("""
					INSERT INTO contact (id, tenant_id, wa_id, profile_name, created_at, opt_in_state, opt_in_source, opt_in_at)
					SELECT CAST(i AS uuid), t, w, n, :now, 'OPTED_IN', 'CUSTOMER_INITIATED', :now
					FROM unnest(CAST(:ids AS text[]), CAST(:tenants AS text[]), CAST(:waIds AS text[]),
					            CAST(:names AS text[])) AS c(i, t, w, n)
					ON CONFLICT (tenant_id, wa_id)
					DO UPDATE SET profile_name = COALESCE(EXCLUDED.profile_name, contact.profile_name),
					    opt_in_state = CASE WHEN contact.opt_in_state = 'UNKNOWN' THEN 'OPTED_IN' ELSE contact.opt_in_state END,
					    opt_in_source = CASE WHEN contact.opt_in_state = 'UNKNOWN' THEN 'CUSTOMER_INITIATED'
					                         ELSE contact.opt_in_source END,
					    opt_in_at = CASE WHEN contact.opt_in_state = 'UNKNOWN' THEN EXCLUDED.opt_in_at ELSE contact.opt_in_at END
					WHERE contact.opt_in_state = 'UNKNOWN'
					   OR contact.profile_name IS DISTINCT FROM COALESCE(EXCLUDED.profile_name, contact.profile_name)""")
			.bind("ids", contacts.stream().map((contact) -> UUID.randomUUID().toString()).toArray(String[]::new))
			.bind("tenants", tenants)
			.bind("waIds", waIds)
			.bind("names", contacts.stream().map(names::get).toArray(String[]::new))
			.bind("now", now)
			.then()
			.then(read(database, tenants, waIds))
			.doOnNext(this.resolved::putAll)
			.then();
	}

	/** The contacts' ids and the names of their labels, sorted. */
	private static Mono<Map<Key, Contact>> read(DatabaseClient database, String[] tenants, String[] waIds) {
		return database.sql("""
				SELECT c.tenant_id, c.wa_id, c.id,
				       ARRAY(SELECT l.name FROM contact_label cl JOIN label l ON l.id = cl.label_id
				             WHERE cl.contact_id = c.id ORDER BY l.name) AS labels
				FROM unnest(CAST(:tenants AS text[]), CAST(:waIds AS text[])) AS k(t, w)
				JOIN contact c ON c.tenant_id = k.t AND c.wa_id = k.w""")
			.bind("tenants", tenants)
			.bind("waIds", waIds)
			.map((row) -> Map.entry(new Key(row.get("tenant_id", String.class), row.get("wa_id", String.class)),
					new Contact(Objects.requireNonNull(row.get("id", UUID.class)),
							List.of(Objects.requireNonNull(row.get("labels", String[].class))))))
			.all()
			.collectMap(Map.Entry::getKey, Map.Entry::getValue);
	}

	/**
	 * The contact of a message of the batch, once {@link #resolve resolved}.
	 * @param received the message
	 * @return its contact
	 */
	Contact of(WhatsAppMessageReceived received) {
		Contact contact = this.resolved.get(new Key(received.tenantId(), received.waId()));
		if (contact == null) {
			throw new IllegalStateException("Contact of " + received.wamid() + " was not resolved for this batch");
		}
		return contact;
	}

	/**
	 * A contact of the batch.
	 *
	 * @param id the contact's id
	 * @param labels the names of its labels, sorted
	 */
	record Contact(UUID id, List<String> labels) {

	}

	private record Key(String tenantId, String waId) {

	}

}

package dev.switchboard.inbox.contact;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import io.r2dbc.spi.Readable;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import dev.switchboard.events.Role;
import dev.switchboard.support.web.Caller;

/**
 * The tenant's contacts, their consent and blocking. A customer who writes in has opted
 * in ({@code CUSTOMER_INITIATED}) unless they opted out; an opted-out or blocked contact
 * receives nothing.
 */
@RestController
class ContactController {

	private static final String SELECT = """
			SELECT k.id, k.wa_id, k.profile_name, k.opt_in_state, k.opt_in_source, k.opt_in_at, k.blocked, k.created_at,
			       ARRAY(SELECT l.name FROM contact_label cl JOIN label l ON l.id = cl.label_id
			             WHERE cl.contact_id = k.id ORDER BY l.name) AS labels
			FROM contact k""";

	private final DatabaseClient database;

	private final Clock clock;

	ContactController(DatabaseClient database, Clock clock) {
		this.database = database;
		this.clock = clock;
	}

	@Operation(operationId = "listContacts", summary = "List the tenant's contacts")
	@GetMapping("/api/v1/contacts")
	Mono<ContactPage> list(Caller caller, @RequestParam(defaultValue = "50") int limit,
			@RequestParam(required = false) @Nullable String cursor) {
		caller.requireAny(Role.OWNER, Role.ADMIN, Role.AGENT);
		if (limit < 1 || limit > 200) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "limit must be between 1 and 200");
		}
		UUID after = null;
		if (cursor != null && !cursor.isBlank()) {
			try {
				after = UUID.fromString(cursor);
			}
			catch (IllegalArgumentException ex) {
				throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
						"The cursor is not one this API returned; pass nextCursor unchanged");
			}
		}
		DatabaseClient.GenericExecuteSpec query = this.database
			.sql(SELECT + " WHERE k.tenant_id = :tenant" + ((after != null) ? " AND k.id > :after" : "")
					+ " ORDER BY k.id LIMIT :limit")
			.bind("tenant", caller.tenantId())
			.bind("limit", limit + 1);
		if (after != null) {
			query = query.bind("after", after);
		}
		return query.map(ContactController::contact).all().collectList().map((rows) -> {
			List<ContactView> items = rows.subList(0, Math.min(limit, rows.size()));
			return new ContactPage(List.copyOf(items), (rows.size() > limit) ? items.getLast().id() : null);
		});
	}

	@Operation(operationId = "getContact", summary = "Get a contact")
	@GetMapping("/api/v1/contacts/{id}")
	Mono<ContactView> get(Caller caller, @PathVariable UUID id) {
		caller.requireAny(Role.OWNER, Role.ADMIN, Role.AGENT);
		return find(caller.tenantId(), id);
	}

	/**
	 * Records the contact's consent.
	 * @param caller any member (OWNER, ADMIN, AGENT)
	 * @param id the contact
	 * @param request the consent and where it was given
	 * @return the contact
	 */
	@Operation(operationId = "setContactOptIn", summary = "Record a contact's consent to be messaged")
	@PutMapping("/api/v1/contacts/{id}/opt-in")
	Mono<ContactView> optIn(Caller caller, @PathVariable UUID id, @Valid @RequestBody OptInRequest request) {
		caller.requireAny(Role.OWNER, Role.ADMIN, Role.AGENT);
		return this.database.sql("""
				UPDATE contact SET opt_in_state = :state, opt_in_source = :source, opt_in_at = :now
				WHERE id = :id AND tenant_id = :tenant""")
			.bind("state", request.state())
			.bind("source", request.source())
			.bind("now", OffsetDateTime.ofInstant(this.clock.instant(), ZoneOffset.UTC))
			.bind("id", id)
			.bind("tenant", caller.tenantId())
			.then()
			.then(find(caller.tenantId(), id));
	}

	@Operation(operationId = "setContactBlocked", summary = "Block or unblock a contact")
	@PutMapping("/api/v1/contacts/{id}/blocked")
	Mono<ContactView> block(Caller caller, @PathVariable UUID id, @Valid @RequestBody BlockRequest request) {
		caller.requireAny(Role.OWNER, Role.ADMIN, Role.AGENT);
		return this.database.sql("UPDATE contact SET blocked = :blocked WHERE id = :id AND tenant_id = :tenant")
			.bind("blocked", request.blocked())
			.bind("id", id)
			.bind("tenant", caller.tenantId())
			.then()
			.then(find(caller.tenantId(), id));
	}

	private Mono<ContactView> find(String tenantId, UUID id) {
		return this.database.sql(SELECT + " WHERE k.id = :id AND k.tenant_id = :tenant")
			.bind("id", id)
			.bind("tenant", tenantId)
			.map(ContactController::contact)
			.one()
			.switchIfEmpty(Mono.error(
					() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No contact " + id + " in this tenant")));
	}

	private static ContactView contact(Readable row) {
		OffsetDateTime optInAt = row.get("opt_in_at", OffsetDateTime.class);
		String[] labels = row.get("labels", String[].class);
		return new ContactView(Objects.requireNonNull(row.get("id", UUID.class)).toString(),
				Objects.requireNonNull(row.get("wa_id", String.class)), row.get("profile_name", String.class),
				Objects.requireNonNull(row.get("opt_in_state", String.class)), row.get("opt_in_source", String.class),
				(optInAt != null) ? optInAt.toInstant() : null, Boolean.TRUE.equals(row.get("blocked", Boolean.class)),
				(labels != null) ? Arrays.asList(labels) : List.of());
	}

	/**
	 * Consent to record.
	 *
	 * @param state {@code OPTED_IN} or {@code OPTED_OUT}
	 * @param source where it was given ({@code WEBSITE_FORM}, {@code STOP_KEYWORD}, ...)
	 */
	record OptInRequest(@NotNull @Pattern(regexp = "OPTED_IN|OPTED_OUT") String state,
			@NotBlank @Size(max = 100) String source) {

	}

	/**
	 * Blocking.
	 *
	 * @param blocked whether the contact is blocked
	 */
	record BlockRequest(boolean blocked) {

	}

	/**
	 * A contact.
	 *
	 * @param id its id
	 * @param waId the WhatsApp id
	 * @param profileName the WhatsApp profile name
	 * @param optInState {@code UNKNOWN}, {@code OPTED_IN} or {@code OPTED_OUT}
	 * @param optInSource where consent was given
	 * @param optInAt when
	 * @param blocked whether the contact is blocked
	 * @param labels label names
	 */
	record ContactView(String id, String waId, @Nullable String profileName, String optInState,
			@Nullable String optInSource, @Nullable Instant optInAt, boolean blocked, List<String> labels) {

	}

	/**
	 * A page of contacts.
	 *
	 * @param items the contacts
	 * @param nextCursor pass as {@code cursor} for the next page; null on the last
	 */
	record ContactPage(List<ContactView> items, @Nullable String nextCursor) {

	}

}

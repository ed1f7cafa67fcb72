package dev.switchboard.inbox.label;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import io.r2dbc.spi.Readable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import dev.switchboard.events.Role;
import dev.switchboard.support.web.Cursors;
import dev.switchboard.inbox.conversation.Page;
import dev.switchboard.support.web.Caller;

/**
 * Labels ("new customer", "new order", "payment pending", "order complete"): OWNER and
 * ADMIN define them, every member applies them to conversations and contacts.
 */
@RestController
class LabelController {

	private final DatabaseClient database;

	private final Clock clock;

	LabelController(DatabaseClient database, Clock clock) {
		this.database = database;
		this.clock = clock;
	}

	/**
	 * The tenant's labels by name.
	 * @param caller any member
	 * @param limit page size (1 to 200)
	 * @param cursor the previous page's {@code nextCursor}
	 * @return a page
	 */
	@Operation(operationId = "listLabels", summary = "List the tenant's labels")
	@GetMapping("/api/v1/labels")
	Mono<Page<Label>> list(Caller caller, @RequestParam(defaultValue = "50") int limit,
			@RequestParam(required = false) @Nullable String cursor) {
		caller.requireAny(Role.OWNER, Role.ADMIN, Role.AGENT);
		int checked = Cursors.limit(limit, 200);
		List<String> after = Cursors.decode(cursor, 1);
		DatabaseClient.GenericExecuteSpec query = this.database
			.sql("SELECT id, name, color FROM label WHERE tenant_id = :tenant"
					+ ((after != null) ? " AND name > :after" : "") + " ORDER BY name LIMIT :limit")
			.bind("tenant", caller.tenantId())
			.bind("limit", checked + 1);
		if (after != null) {
			query = query.bind("after", after.getFirst());
		}
		return query.map(LabelController::label)
			.all()
			.collectList()
			.map((rows) -> Page.of(rows, checked, (label) -> Cursors.encode(label.name())));
	}

	@Operation(operationId = "createLabel", summary = "Create a label")
	@ApiResponse(responseCode = "201", description = "Created", useReturnTypeSchema = true)
	@PostMapping("/api/v1/labels")
	Mono<ResponseEntity<Label>> create(Caller caller, @Valid @RequestBody LabelRequest request) {
		caller.requireAny(Role.OWNER, Role.ADMIN);
		UUID id = UUID.randomUUID();
		return this.database
			.sql("""
					INSERT INTO label (id, tenant_id, name, color, created_at) VALUES (:id, :tenant, :name, :color, :now)""")
			.bind("id", id)
			.bind("tenant", caller.tenantId())
			.bind("name", request.name())
			.bind("color", request.color())
			.bind("now", now())
			.then()
			.onErrorMap(DataIntegrityViolationException.class, (ex) -> duplicate(request.name()))
			.thenReturn(ResponseEntity.status(HttpStatus.CREATED)
				.body(new Label(id.toString(), request.name(), request.color())));
	}

	@Operation(operationId = "updateLabel", summary = "Update a label")
	@PutMapping("/api/v1/labels/{id}")
	Mono<Label> update(Caller caller, @PathVariable UUID id, @Valid @RequestBody LabelRequest request) {
		caller.requireAny(Role.OWNER, Role.ADMIN);
		return this.database.sql("""
				UPDATE label SET name = :name, color = :color WHERE id = :id AND tenant_id = :tenant
				RETURNING id, name, color""")
			.bind("name", request.name())
			.bind("color", request.color())
			.bind("id", id)
			.bind("tenant", caller.tenantId())
			.map(LabelController::label)
			.one()
			.onErrorMap(DataIntegrityViolationException.class, (ex) -> duplicate(request.name()))
			.switchIfEmpty(Mono.error(() -> notFound("label", id)));
	}

	@Operation(operationId = "deleteLabel", summary = "Delete a label")
	@ApiResponse(responseCode = "204", description = "Deleted")
	@DeleteMapping("/api/v1/labels/{id}")
	Mono<ResponseEntity<Void>> delete(Caller caller, @PathVariable UUID id) {
		caller.requireAny(Role.OWNER, Role.ADMIN);
		return this.database.sql("DELETE FROM label WHERE id = :id AND tenant_id = :tenant")
			.bind("id", id)
			.bind("tenant", caller.tenantId())
			.fetch()
			.rowsUpdated()
			.flatMap((deleted) -> (deleted > 0) ? Mono.just(ResponseEntity.noContent().<Void>build())
					: Mono.error(notFound("label", id)));
	}

	@Operation(operationId = "labelConversation", summary = "Put a label on a conversation")
	@ApiResponse(responseCode = "204", description = "Labelled")
	@PutMapping("/api/v1/conversations/{conversationId}/labels/{labelId}")
	Mono<ResponseEntity<Void>> labelConversation(Caller caller, @PathVariable UUID conversationId,
			@PathVariable UUID labelId) {
		caller.requireAny(Role.OWNER, Role.ADMIN, Role.AGENT);
		return apply(caller, "conversation", conversationId, labelId, """
				INSERT INTO conversation_label (conversation_id, label_id, applied_at)
				VALUES (:target, :label, :now) ON CONFLICT DO NOTHING""");
	}

	@Operation(operationId = "unlabelConversation", summary = "Take a label off a conversation")
	@ApiResponse(responseCode = "204", description = "Unlabelled")
	@DeleteMapping("/api/v1/conversations/{conversationId}/labels/{labelId}")
	Mono<ResponseEntity<Void>> unlabelConversation(Caller caller, @PathVariable UUID conversationId,
			@PathVariable UUID labelId) {
		caller.requireAny(Role.OWNER, Role.ADMIN, Role.AGENT);
		return apply(caller, "conversation", conversationId, labelId,
				"DELETE FROM conversation_label WHERE conversation_id = :target AND label_id = :label AND :now IS NOT NULL");
	}

	@Operation(operationId = "labelContact", summary = "Put a label on a contact")
	@ApiResponse(responseCode = "204", description = "Labelled")
	@PutMapping("/api/v1/contacts/{contactId}/labels/{labelId}")
	Mono<ResponseEntity<Void>> labelContact(Caller caller, @PathVariable UUID contactId, @PathVariable UUID labelId) {
		caller.requireAny(Role.OWNER, Role.ADMIN, Role.AGENT);
		return apply(caller, "contact", contactId, labelId, """
				INSERT INTO contact_label (contact_id, label_id, applied_at)
				VALUES (:target, :label, :now) ON CONFLICT DO NOTHING""");
	}

	@Operation(operationId = "unlabelContact", summary = "Take a label off a contact")
	@ApiResponse(responseCode = "204", description = "Unlabelled")
	@DeleteMapping("/api/v1/contacts/{contactId}/labels/{labelId}")
	Mono<ResponseEntity<Void>> unlabelContact(Caller caller, @PathVariable UUID contactId, @PathVariable UUID labelId) {
		caller.requireAny(Role.OWNER, Role.ADMIN, Role.AGENT);
		return apply(caller, "contact", contactId, labelId,
				"DELETE FROM contact_label WHERE contact_id = :target AND label_id = :label AND :now IS NOT NULL");
	}

	private Mono<ResponseEntity<Void>> apply(Caller caller, String table, UUID target, UUID labelId, String sql) {
		return exists(table, target, caller.tenantId()).flatMap(
				(found) -> found ? exists("label", labelId, caller.tenantId()) : Mono.error(notFound(table, target)))
			.flatMap(
					(found) -> found
							? this.database.sql(sql)
								.bind("target", target)
								.bind("label", labelId)
								.bind("now", now())
								.then()
								.thenReturn(ResponseEntity.noContent().<Void>build())
							: Mono.error(notFound("label", labelId)));
	}

	private Mono<Boolean> exists(String table, UUID id, String tenantId) {
		return this.database.sql("SELECT 1 FROM " + table + " WHERE id = :id AND tenant_id = :tenant")
			.bind("id", id)
			.bind("tenant", tenantId)
			.map((row) -> true)
			.one()
			.defaultIfEmpty(false);
	}

	private OffsetDateTime now() {
		return OffsetDateTime.ofInstant(this.clock.instant(), ZoneOffset.UTC);
	}

	private static Label label(Readable row) {
		return new Label(Objects.requireNonNull(row.get("id", UUID.class)).toString(),
				Objects.requireNonNull(row.get("name", String.class)),
				Objects.requireNonNull(row.get("color", String.class)));
	}

	private static ResponseStatusException duplicate(String name) {
		return new ResponseStatusException(HttpStatus.CONFLICT, "A label named \"" + name + "\" already exists");
	}

	private static ResponseStatusException notFound(String what, UUID id) {
		return new ResponseStatusException(HttpStatus.NOT_FOUND, "No " + what + " " + id + " in this tenant");
	}

	/**
	 * A label to define.
	 *
	 * @param name its name, unique in the tenant
	 * @param color a hex colour ({@code #1e88e5})
	 */
	record LabelRequest(@NotBlank @Size(max = 50) String name,
			@NotBlank @Pattern(regexp = "#[0-9a-fA-F]{6}") String color) {

	}

	/**
	 * A label.
	 *
	 * @param id its id
	 * @param name its name
	 * @param color its colour
	 */
	record Label(String id, String name, String color) {

	}

}

package dev.switchboard.inbox.quickreply;

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
 * Quick replies of the tenant: {@code /shortcut} at the start of a text message expands
 * to the saved text. Every member reads them; OWNER and ADMIN manage them.
 */
@RestController
class QuickReplyController {

	private final DatabaseClient database;

	private final Clock clock;

	QuickReplyController(DatabaseClient database, Clock clock) {
		this.database = database;
		this.clock = clock;
	}

	/**
	 * The tenant's quick replies by shortcut.
	 * @param caller any member
	 * @param limit page size (1 to 200)
	 * @param cursor the previous page's {@code nextCursor}
	 * @return a page
	 */
	@Operation(operationId = "listQuickReplies", summary = "List the tenant's quick replies")
	@GetMapping("/api/v1/quick-replies")
	Mono<Page<QuickReply>> list(Caller caller, @RequestParam(defaultValue = "50") int limit,
			@RequestParam(required = false) @Nullable String cursor) {
		caller.requireAny(Role.OWNER, Role.ADMIN, Role.AGENT);
		int checked = Cursors.limit(limit, 200);
		List<String> after = Cursors.decode(cursor, 1);
		DatabaseClient.GenericExecuteSpec query = this.database
			.sql("SELECT id, shortcut, text FROM quick_reply WHERE tenant_id = :tenant"
					+ ((after != null) ? " AND shortcut > :after" : "") + " ORDER BY shortcut LIMIT :limit")
			.bind("tenant", caller.tenantId())
			.bind("limit", checked + 1);
		if (after != null) {
			query = query.bind("after", after.getFirst());
		}
		return query.map(QuickReplyController::quickReply)
			.all()
			.collectList()
			.map((rows) -> Page.of(rows, checked, (reply) -> Cursors.encode(reply.shortcut())));
	}

	@Operation(operationId = "createQuickReply", summary = "Create a quick reply")
	@ApiResponse(responseCode = "201", description = "Created", useReturnTypeSchema = true)
	@PostMapping("/api/v1/quick-replies")
	Mono<ResponseEntity<QuickReply>> create(Caller caller, @Valid @RequestBody QuickReplyRequest request) {
		caller.requireAny(Role.OWNER, Role.ADMIN);
		UUID id = UUID.randomUUID();
		OffsetDateTime now = OffsetDateTime.ofInstant(this.clock.instant(), ZoneOffset.UTC);
		return this.database.sql("""
				INSERT INTO quick_reply (id, tenant_id, shortcut, text, created_at, updated_at)
				VALUES (:id, :tenant, :shortcut, :text, :now, :now)""")
			.bind("id", id)
			.bind("tenant", caller.tenantId())
			.bind("shortcut", request.shortcut())
			.bind("text", request.text())
			.bind("now", now)
			.then()
			.onErrorMap(DataIntegrityViolationException.class, (ex) -> duplicate(request.shortcut()))
			.thenReturn(ResponseEntity.status(HttpStatus.CREATED)
				.body(new QuickReply(id.toString(), request.shortcut(), request.text())));
	}

	@Operation(operationId = "updateQuickReply", summary = "Update a quick reply")
	@PutMapping("/api/v1/quick-replies/{id}")
	Mono<QuickReply> update(Caller caller, @PathVariable UUID id, @Valid @RequestBody QuickReplyRequest request) {
		caller.requireAny(Role.OWNER, Role.ADMIN);
		return this.database.sql("""
				UPDATE quick_reply SET shortcut = :shortcut, text = :text, updated_at = :now
				WHERE id = :id AND tenant_id = :tenant RETURNING id, shortcut, text""")
			.bind("shortcut", request.shortcut())
			.bind("text", request.text())
			.bind("now", OffsetDateTime.ofInstant(this.clock.instant(), ZoneOffset.UTC))
			.bind("id", id)
			.bind("tenant", caller.tenantId())
			.map(QuickReplyController::quickReply)
			.one()
			.onErrorMap(DataIntegrityViolationException.class, (ex) -> duplicate(request.shortcut()))
			.switchIfEmpty(Mono.error(() -> notFound(id)));
	}

	@Operation(operationId = "deleteQuickReply", summary = "Delete a quick reply")
	@ApiResponse(responseCode = "204", description = "Deleted")
	@DeleteMapping("/api/v1/quick-replies/{id}")
	Mono<ResponseEntity<Void>> delete(Caller caller, @PathVariable UUID id) {
		caller.requireAny(Role.OWNER, Role.ADMIN);
		return this.database.sql("DELETE FROM quick_reply WHERE id = :id AND tenant_id = :tenant")
			.bind("id", id)
			.bind("tenant", caller.tenantId())
			.fetch()
			.rowsUpdated()
			.flatMap((deleted) -> (deleted > 0) ? Mono.just(ResponseEntity.noContent().<Void>build())
					: Mono.error(notFound(id)));
	}

	private static QuickReply quickReply(Readable row) {
		return new QuickReply(Objects.requireNonNull(row.get("id", UUID.class)).toString(),
				Objects.requireNonNull(row.get("shortcut", String.class)),
				Objects.requireNonNull(row.get("text", String.class)));
	}

	private static ResponseStatusException duplicate(String shortcut) {
		return new ResponseStatusException(HttpStatus.CONFLICT, "The shortcut /" + shortcut + " already exists");
	}

	private static ResponseStatusException notFound(UUID id) {
		return new ResponseStatusException(HttpStatus.NOT_FOUND, "No quick reply " + id + " in this tenant");
	}

	/**
	 * A quick reply to save.
	 *
	 * @param shortcut what follows the slash ({@code thanks} for {@code /thanks})
	 * @param text the saved text
	 */
	record QuickReplyRequest(@NotBlank @Pattern(regexp = "[a-z0-9_-]{1,32}") String shortcut,
			@NotBlank @Size(max = 4096) String text) {

	}

	/**
	 * A quick reply.
	 *
	 * @param id its id
	 * @param shortcut its shortcut
	 * @param text its text
	 */
	record QuickReply(String id, String shortcut, String text) {

	}

}

package dev.switchboard.inbox.template;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.switchboard.events.Role;
import dev.switchboard.support.web.Cursors;
import dev.switchboard.inbox.conversation.Page;
import dev.switchboard.support.web.Caller;

/**
 * The tenant's message templates (name, language, category, status, quality). Meta's
 * template webhooks keep them current ({@code TemplateUpdates}); every member reads them;
 * OWNER and ADMIN may also record one by hand.
 */
@RestController
class TemplateController {

	private final DatabaseClient database;

	private final Clock clock;

	TemplateController(DatabaseClient database, Clock clock) {
		this.database = database;
		this.clock = clock;
	}

	/**
	 * The tenant's templates by name and language.
	 * @param caller any member
	 * @param limit page size (1 to 200)
	 * @param cursor the previous page's {@code nextCursor}
	 * @return a page
	 */
	@Operation(operationId = "listTemplates", summary = "List the tenant's message templates")
	@GetMapping("/api/v1/templates")
	Mono<Page<TemplateView>> list(Caller caller, @RequestParam(defaultValue = "50") int limit,
			@RequestParam(required = false) @Nullable String cursor) {
		caller.requireAny(Role.OWNER, Role.ADMIN, Role.AGENT);
		int checked = Cursors.limit(limit, 200);
		List<String> after = Cursors.decode(cursor, 2);
		DatabaseClient.GenericExecuteSpec query = this.database
			.sql("""
					SELECT name, language, category, status, quality, reason, source, updated_at FROM template
					WHERE tenant_id = :tenant"""
					+ ((after != null) ? " AND (name, language) > (:afterName, :afterLanguage)" : "")
					+ " ORDER BY name, language LIMIT :limit")
			.bind("tenant", caller.tenantId())
			.bind("limit", checked + 1);
		if (after != null) {
			query = query.bind("afterName", after.get(0)).bind("afterLanguage", after.get(1));
		}
		return query
			.map((row) -> new TemplateView(Objects.requireNonNull(row.get("name", String.class)),
					Objects.requireNonNull(row.get("language", String.class)), row.get("category", String.class),
					Objects.requireNonNull(row.get("status", String.class)), row.get("quality", String.class),
					row.get("reason", String.class), Objects.requireNonNull(row.get("source", String.class)),
					Objects.requireNonNull(row.get("updated_at", OffsetDateTime.class)).toInstant()))
			.all()
			.collectList()
			.map((rows) -> Page.of(rows, checked, (template) -> Cursors.encode(template.name(), template.language())));
	}

	/**
	 * Records a template (or its new category or status) as Meta approved it.
	 * @param caller OWNER or ADMIN
	 * @param template the template
	 * @return it
	 */
	@Operation(operationId = "saveTemplate", summary = "Record a message template as Meta approved it")
	@PutMapping("/api/v1/templates")
	Mono<TemplateView> save(Caller caller, @Valid @RequestBody TemplateRequest template) {
		caller.requireAny(Role.OWNER, Role.ADMIN);
		Instant now = this.clock.instant();
		return this.database.sql("""
				INSERT INTO template (tenant_id, name, language, category, status, created_at, updated_at, source)
				VALUES (:tenant, :name, :language, :category, :status, :now, :now, 'ADMIN')
				ON CONFLICT (tenant_id, name, language) DO UPDATE SET category = EXCLUDED.category,
				    status = EXCLUDED.status, updated_at = EXCLUDED.updated_at, source = 'ADMIN'
				RETURNING quality, reason""")
			.bind("tenant", caller.tenantId())
			.bind("name", template.name())
			.bind("language", template.language())
			.bind("category", template.category())
			.bind("status", template.status())
			.bind("now", OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
			.map((row) -> new TemplateView(template.name(), template.language(), template.category(), template.status(),
					row.get("quality", String.class), row.get("reason", String.class), "ADMIN", now))
			.one();
	}

	/**
	 * A template to record.
	 *
	 * @param name Meta's template name
	 * @param language its language code
	 * @param category {@code MARKETING}, {@code UTILITY} or {@code AUTHENTICATION}
	 * @param status {@code APPROVED}, {@code PAUSED} or {@code REJECTED}
	 */
	record TemplateRequest(@NotBlank @Size(max = 512) @Pattern(regexp = "[a-z0-9_]+") String name,
			@NotBlank @Pattern(regexp = "[a-z]{2,3}(_[A-Z]{2})?") String language,
			@NotNull @Pattern(regexp = "MARKETING|UTILITY|AUTHENTICATION") String category,
			@NotNull @Pattern(regexp = "APPROVED|PAUSED|REJECTED") String status) {

	}

	/**
	 * A template.
	 *
	 * @param name its name
	 * @param language its language
	 * @param category what Meta charges it as; null until Meta or an admin names it
	 * @param status whether it may be sent ({@code APPROVED}) or Meta's other review
	 * status ({@code PENDING}, {@code REJECTED}, {@code PAUSED}, ...)
	 * @param quality Meta's quality score ({@code GREEN}, {@code YELLOW}, {@code RED}),
	 * when reported
	 * @param reason why Meta rejected or paused it, when it said
	 * @param source who set the status last: {@code META} (a webhook) or {@code ADMIN}
	 * @param updatedAt when it was last recorded
	 */
	record TemplateView(String name, String language, @Nullable String category, String status,
			@Nullable String quality, @Nullable String reason, String source, Instant updatedAt) {

	}

}

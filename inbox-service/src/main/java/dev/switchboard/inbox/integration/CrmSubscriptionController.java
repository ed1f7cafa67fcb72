package dev.switchboard.inbox.integration;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.spi.Readable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import dev.switchboard.events.Role;
import dev.switchboard.inbox.conversation.Page;
import dev.switchboard.support.web.Caller;
import dev.switchboard.support.web.Cursors;
import dev.switchboard.support.web.TimeCursor;

/**
 * CRM webhook subscriptions and their delivery log, managed by OWNER and ADMIN. The
 * signing secret is shown once, in the answer to the creation. A URL must pass the
 * {@link DestinationPolicy}; a tenant has at most {@code max-subscriptions-per-tenant}
 * active subscriptions. Refusals are counted in
 * {@code switchboard.inbox.crm.subscriptions.rejected} by reason.
 */
@RestController
class CrmSubscriptionController {

	static final String PATH = "/api/v1/webhook-subscriptions";

	private final DatabaseClient database;

	private final TransactionalOperator transactions;

	private final Clock clock;

	private final MeterRegistry meters;

	private final DestinationPolicy destinations;

	private final int maxSubscriptions;

	private final CrmSecrets secrets;

	CrmSubscriptionController(DatabaseClient database, TransactionalOperator transactions, Clock clock,
			MeterRegistry meters, DestinationPolicy destinations, CrmWebhookProperties properties, CrmSecrets secrets) {
		this.database = database;
		this.transactions = transactions;
		this.clock = clock;
		this.meters = meters;
		this.destinations = destinations;
		this.maxSubscriptions = properties.maxSubscriptionsPerTenant();
		this.secrets = secrets;
	}

	/**
	 * Subscribes a URL to event types.
	 * @param caller an OWNER or ADMIN
	 * @param body {@code {url, eventTypes}}
	 * @return 201 with the subscription and its signing secret (shown this once)
	 */
	@Operation(operationId = "createWebhookSubscription", summary = "Subscribe a URL to events")
	@ApiResponse(responseCode = "201", description = "Subscribed; the signing secret is shown this once",
			useReturnTypeSchema = true)
	@PostMapping(PATH)
	Mono<ResponseEntity<CreatedSubscription>> create(Caller caller, @RequestBody Mono<SubscriptionRequest> body) {
		caller.requireAny(Role.OWNER, Role.ADMIN);
		return body
			.onErrorMap(ServerWebInputException.class, (ex) -> new SubscriptionRejected("unreadable",
					"The body must be JSON: {\"url\": \"https://...\", \"eventTypes\": [\"MESSAGE_RECEIVED\"]}"))
			.switchIfEmpty(Mono.error(() -> new SubscriptionRejected("unreadable", "The body is missing")))
			.map(CrmSubscriptionController::validate)
			// Resolving the URL's host blocks: off the event loop.
			.flatMap((valid) -> Mono.fromCallable(() -> this.destinations.check(valid.url()))
				.subscribeOn(Schedulers.boundedElastic())
				.thenReturn(valid))
			.flatMap((valid) -> insert(caller, valid))
			.doOnError(SubscriptionRejected.class,
					(ex) -> this.meters.counter("switchboard.inbox.crm.subscriptions.rejected", "reason", ex.reason())
						.increment());
	}

	@Operation(operationId = "listWebhookSubscriptions", summary = "List the tenant's webhook subscriptions")
	@GetMapping(PATH)
	Mono<Page<SubscriptionView>> list(Caller caller, @RequestParam(defaultValue = "20") int limit,
			@RequestParam(required = false) @Nullable String cursor) {
		caller.requireAny(Role.OWNER, Role.ADMIN);
		int checkedLimit = Cursors.limit(limit, 100);
		TimeCursor after = TimeCursor.decode(cursor);
		String afterClause = (after != null) ? " AND (created_at, id) < (:afterAt, :afterId)" : "";
		DatabaseClient.GenericExecuteSpec query = this.database.sql("""
				SELECT id, url, event_types, active, created_at, deactivated_at FROM crm_subscription
				WHERE tenant_id = :tenant""" + afterClause + " ORDER BY created_at DESC, id DESC LIMIT :limit")
			.bind("tenant", caller.tenantId())
			.bind("limit", checkedLimit + 1);
		if (after != null) {
			query = query.bind("afterAt", utc(after.at())).bind("afterId", after.id());
		}
		return query.map(CrmSubscriptionController::subscription)
			.all()
			.collectList()
			.map((rows) -> page(rows, checkedLimit, (last) -> new TimeCursor(last.createdAt(), last.id())));
	}

	@Operation(operationId = "getWebhookSubscription", summary = "Get a webhook subscription")
	@GetMapping(PATH + "/{id}")
	Mono<SubscriptionView> get(Caller caller, @PathVariable UUID id) {
		caller.requireAny(Role.OWNER, Role.ADMIN);
		return find(caller.tenantId(), id).switchIfEmpty(Mono.error(() -> notFound(id)));
	}

	/**
	 * Deactivates a subscription: nothing more is delivered to it, and its pending
	 * deliveries are cancelled. Its delivery log stays readable.
	 * @param caller an OWNER or ADMIN
	 * @param id the subscription
	 * @return 204
	 */
	@Operation(operationId = "deactivateWebhookSubscription", summary = "Deactivate a webhook subscription")
	@ApiResponse(responseCode = "204", description = "Deactivated")
	@DeleteMapping(PATH + "/{id}")
	Mono<ResponseEntity<Void>> deactivate(Caller caller, @PathVariable UUID id) {
		caller.requireAny(Role.OWNER, Role.ADMIN);
		return this.database.sql("""
				UPDATE crm_subscription SET active = FALSE, deactivated_at = COALESCE(deactivated_at, :now)
				WHERE id = :id AND tenant_id = :tenant RETURNING id""")
			.bind("now", utc(this.clock.instant()))
			.bind("id", id)
			.bind("tenant", caller.tenantId())
			.map((row) -> true)
			.one()
			.switchIfEmpty(Mono.error(() -> notFound(id)))
			.flatMap((found) -> this.database.sql("""
					UPDATE crm_delivery SET status = 'CANCELLED', next_attempt_at = NULL
					WHERE subscription_id = :id AND status = 'PENDING'""").bind("id", id).then())
			.as(this.transactions::transactional)
			.thenReturn(ResponseEntity.noContent().build());
	}

	/**
	 * The delivery log, newest first.
	 * @param caller an OWNER or ADMIN
	 * @param id the subscription
	 * @param limit page size (1 to 100)
	 * @param cursor the previous page's {@code nextCursor}
	 * @return a page of deliveries
	 */
	@Operation(operationId = "listWebhookDeliveries",
			summary = "List a webhook subscription's deliveries, newest first")
	@GetMapping(PATH + "/{id}/deliveries")
	Mono<Page<DeliveryView>> deliveries(Caller caller, @PathVariable UUID id,
			@RequestParam(defaultValue = "20") int limit, @RequestParam(required = false) @Nullable String cursor) {
		caller.requireAny(Role.OWNER, Role.ADMIN);
		int checkedLimit = Cursors.limit(limit, 100);
		TimeCursor after = TimeCursor.decode(cursor);
		String afterClause = (after != null) ? " AND (created_at, id) < (:afterAt, :afterId)" : "";
		return find(caller.tenantId(), id).switchIfEmpty(Mono.error(() -> notFound(id))).flatMap((subscription) -> {
			DatabaseClient.GenericExecuteSpec query = this.database
				.sql("""
						SELECT id, event_id, event_type, status, attempts, last_status_code, last_error, next_attempt_at,
						       delivered_at, created_at
						FROM crm_delivery WHERE subscription_id = :id AND tenant_id = :tenant"""
						+ afterClause + " ORDER BY created_at DESC, id DESC LIMIT :limit")
				.bind("id", id)
				.bind("tenant", caller.tenantId())
				.bind("limit", checkedLimit + 1);
			if (after != null) {
				query = query.bind("afterAt", utc(after.at())).bind("afterId", after.id());
			}
			return query.map(CrmSubscriptionController::delivery)
				.all()
				.collectList()
				.map((rows) -> page(rows, checkedLimit, (last) -> new TimeCursor(last.createdAt(), last.id())));
		});
	}

	private Mono<SubscriptionView> find(String tenantId, UUID id) {
		return this.database.sql("""
				SELECT id, url, event_types, active, created_at, deactivated_at FROM crm_subscription
				WHERE id = :id AND tenant_id = :tenant""")
			.bind("id", id)
			.bind("tenant", tenantId)
			.map(CrmSubscriptionController::subscription)
			.one();
	}

	private Mono<ResponseEntity<CreatedSubscription>> insert(Caller caller, Valid valid) {
		// The count and the insert under the tenant's lock, in one transaction, so
		// concurrent creations cannot pass the limit together.
		return this.database
			.sql("SELECT pg_advisory_xact_lock(hashtextextended('inbox.crm-subscription:' || :tenant, 0))")
			.bind("tenant", caller.tenantId())
			.then()
			.then(this.database.sql("SELECT count(*) AS n FROM crm_subscription WHERE tenant_id = :tenant AND active")
				.bind("tenant", caller.tenantId())
				.map((row) -> Objects.requireNonNull(row.get("n", Long.class)))
				.one())
			.flatMap((active) -> (active < this.maxSubscriptions) ? store(caller, valid)
					: Mono.error(() -> new SubscriptionRejected(HttpStatus.CONFLICT, "subscription-limit",
							"A tenant has at most " + this.maxSubscriptions
									+ " active webhook subscriptions; deactivate one (DELETE) to create another")))
			.as(this.transactions::transactional);
	}

	private Mono<ResponseEntity<CreatedSubscription>> store(Caller caller, Valid valid) {
		UUID id = UUID.randomUUID();
		String secret = CrmSignature.newSecret();
		Instant now = this.clock.instant();
		return this.database.sql("""
				INSERT INTO crm_subscription (id, tenant_id, url, event_types, secret_sealed, active, created_by,
				    created_at)
				VALUES (:id, :tenant, :url, :eventTypes, :secret, TRUE, :createdBy, :now)""")
			.bind("id", id)
			.bind("tenant", caller.tenantId())
			.bind("url", valid.url())
			.bind("eventTypes", valid.eventTypes().toArray(String[]::new))
			.bind("secret", this.secrets.seal(caller.tenantId(), id, secret))
			.bind("createdBy", caller.subject())
			.bind("now", utc(now))
			.then()
			.thenReturn(ResponseEntity.created(URI.create(PATH + "/" + id))
				// The secret is shown once: no cache, nor the gateway's idempotency
				// record,
				// keeps it.
				.cacheControl(CacheControl.noStore())
				.body(new CreatedSubscription(id, valid.url(), valid.eventTypes(), true, now, secret)));
	}

	/**
	 * Checks a subscription request's form; {@link DestinationPolicy#check} then checks
	 * where its URL leads.
	 * @param request what the client sent
	 * @return the URL and the event types, each once, in the order given
	 * @throws SubscriptionRejected if anything is wrong
	 */
	static Valid validate(SubscriptionRequest request) {
		String url = DestinationPolicy.parse(request.url()).toString();
		List<@Nullable String> types = request.eventTypes();
		if (types == null || types.isEmpty()) {
			throw new SubscriptionRejected("event-types-missing",
					"eventTypes must name at least one of " + Arrays.toString(CrmEventType.values()));
		}
		Set<String> unique = new LinkedHashSet<>();
		for (@Nullable
		String type : types) {
			if (type == null || CrmEventType.named(type).isEmpty()) {
				throw new SubscriptionRejected("event-type-unknown", "Unknown event type " + type
						+ "; eventTypes may contain " + Arrays.toString(CrmEventType.values()));
			}
			unique.add(type);
		}
		return new Valid(url, List.copyOf(unique));
	}

	private static <T> Page<T> page(List<T> rows, int limit, java.util.function.Function<T, TimeCursor> cursorOf) {
		if (rows.size() <= limit) {
			return new Page<>(rows, null);
		}
		List<T> items = rows.subList(0, limit);
		return new Page<>(List.copyOf(items), cursorOf.apply(items.get(limit - 1)).encode());
	}

	private static SubscriptionView subscription(Readable row) {
		return new SubscriptionView(Objects.requireNonNull(row.get("id", UUID.class)),
				Objects.requireNonNull(row.get("url", String.class)),
				List.of(Objects.requireNonNull(row.get("event_types", String[].class))),
				Objects.requireNonNull(row.get("active", Boolean.class)), instant(row, "created_at"),
				nullableInstant(row, "deactivated_at"));
	}

	private static DeliveryView delivery(Readable row) {
		return new DeliveryView(Objects.requireNonNull(row.get("id", UUID.class)),
				Objects.requireNonNull(row.get("event_id", String.class)),
				Objects.requireNonNull(row.get("event_type", String.class)),
				Objects.requireNonNull(row.get("status", String.class)),
				Objects.requireNonNull(row.get("attempts", Integer.class)),
				statusClass(row.get("last_status_code", Integer.class)), row.get("last_error", String.class),
				nullableInstant(row, "next_attempt_at"), nullableInstant(row, "delivered_at"),
				instant(row, "created_at"));
	}

	private static @Nullable String statusClass(@Nullable Integer status) {
		return (status != null) ? (status / 100) + "xx" : null;
	}

	private static Instant instant(Readable row, String column) {
		return Objects.requireNonNull(row.get(column, OffsetDateTime.class), column).toInstant();
	}

	private static @Nullable Instant nullableInstant(Readable row, String column) {
		OffsetDateTime value = row.get(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	private static OffsetDateTime utc(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

	private static ResponseStatusException notFound(UUID id) {
		return new ResponseStatusException(HttpStatus.NOT_FOUND, "No webhook subscription " + id + " in this tenant");
	}

	/**
	 * A subscription to create.
	 *
	 * @param url where to POST: {@code https://} to a public host, without credentials
	 * @param eventTypes {@code MESSAGE_RECEIVED}, {@code MESSAGE_STATUS},
	 * {@code CONVERSATION_ASSIGNED}, {@code CONVERSATION_RESOLVED}
	 */
	record SubscriptionRequest(@Nullable String url, @Nullable List<@Nullable String> eventTypes) {

	}

	record Valid(String url, List<String> eventTypes) {

	}

	/**
	 * A subscription just created, with the secret its deliveries are signed with. The
	 * secret is never shown again.
	 *
	 * @param id its id
	 * @param url where deliveries go
	 * @param eventTypes what is delivered
	 * @param active whether deliveries are made
	 * @param createdAt when it was created
	 * @param secret the {@code whsec_} secret of {@code webhook-signature}
	 */
	record CreatedSubscription(UUID id, String url, List<String> eventTypes, boolean active, Instant createdAt,
			String secret) {

	}

	/**
	 * A subscription (never with its secret).
	 *
	 * @param id its id
	 * @param url where deliveries go
	 * @param eventTypes what is delivered
	 * @param active false once deactivated
	 * @param createdAt when it was created
	 * @param deactivatedAt when it was deactivated
	 */
	record SubscriptionView(UUID id, String url, List<String> eventTypes, boolean active, Instant createdAt,
			@Nullable Instant deactivatedAt) {

	}

	/**
	 * One delivery of the log.
	 *
	 * @param id the delivery
	 * @param eventId the platform event's id: the body's {@code id} and the
	 * {@code webhook-id}
	 * @param eventType the CRM event type
	 * @param status {@code PENDING}, {@code DELIVERED}, {@code FAILED} or
	 * {@code CANCELLED}
	 * @param attempts attempts made so far
	 * @param lastStatusClass the class of the receiver's last HTTP status ({@code 2xx} to
	 * {@code 5xx}), if it answered
	 * @param lastError why the last attempt did not deliver: {@code Delivery failed},
	 * with the status class if the receiver answered (the details are in the service's
	 * log, not here)
	 * @param nextAttemptAt when the next attempt is due, while pending
	 * @param deliveredAt when a 2xx came back
	 * @param createdAt when the event was turned into this delivery
	 */
	record DeliveryView(UUID id, String eventId, String eventType, String status, int attempts,
			@Nullable String lastStatusClass, @Nullable String lastError, @Nullable Instant nextAttemptAt,
			@Nullable Instant deliveredAt, Instant createdAt) {

	}

}

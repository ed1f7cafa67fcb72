package dev.switchboard.billing.pricing;

import java.net.URI;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

import dev.switchboard.billing.web.Cursor;
import dev.switchboard.billing.web.Page;
import dev.switchboard.billing.web.Rejections;
import dev.switchboard.events.Role;
import dev.switchboard.support.web.Caller;

/**
 * Price list versions for the plans. A new version applies from a day not in the past.
 */
@RestController
@RequestMapping("/api/v1/billing/price-lists")
class PriceListController {

	/** The plans every price list prices. */
	static final List<String> PLANS = List.of("STANDARD", "PREMIUM");

	/**
	 * Who reads price lists: the tenant's (its own and the platform's) and the operator.
	 */
	private static final Role[] READERS = { Role.OWNER, Role.ADMIN, Role.FINANCE, Role.OPERATOR };

	private final PriceLists lists;

	private final TransactionalOperator transactions;

	private final Rejections rejections;

	private final Clock clock;

	PriceListController(PriceLists lists, TransactionalOperator transactions, Rejections rejections, Clock clock) {
		this.lists = lists;
		this.transactions = transactions;
		this.rejections = rejections;
		this.clock = clock;
	}

	@Operation(operationId = "listPriceLists", summary = "List the price lists")
	@GetMapping
	Mono<Page<PriceListView>> list(Caller caller, @RequestParam(defaultValue = "20") int limit,
			@RequestParam(required = false) @Nullable String cursor) {
		caller.requireAny(READERS);
		return this.lists.list(caller.tenantId(), Cursor.limit(limit, this.rejections),
				Cursor.decode(cursor, 2, this.rejections, (c) -> {
					LocalDate.parse(c.key(0));
					Long.parseLong(c.key(1));
				}));
	}

	@Operation(operationId = "getPriceList", summary = "Get a price list")
	@GetMapping("/{id}")
	Mono<PriceListView> get(Caller caller, @PathVariable long id) {
		caller.requireAny(READERS);
		return this.lists.find(caller.tenantId(), id)
			.switchIfEmpty(Mono.error(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No price list " + id)));
	}

	@Operation(operationId = "createPriceList", summary = "Publish a price list")
	@ApiResponse(responseCode = "201", description = "Published; Location names it", useReturnTypeSchema = true)
	@PostMapping
	Mono<ResponseEntity<PriceListView>> create(Caller caller, @RequestBody NewPriceList body) {
		// Prices are the platform's to set, never a tenant's.
		caller.requireAny(Role.OPERATOR);
		String name = body.name();
		if (name == null || name.isBlank() || name.length() > 100) {
			throw this.rejections.reject("price-list.name", "name is required (at most 100 characters)");
		}
		String currency = Currencies.check(body.currency(), this.rejections);
		LocalDate from = body.effectiveFrom();
		if (from == null || from.isBefore(LocalDate.ofInstant(this.clock.instant(), ZoneOffset.UTC))) {
			throw this.rejections.reject("price-list.effective-from",
					"effectiveFrom is required and may not be in the past");
		}
		List<PlanPrice> plans = checkedPlans(body.plans());
		String tenant = (body.tenantId() != null && !body.tenantId().isBlank()) ? body.tenantId().trim() : null;
		return this.lists.create(tenant, name.trim(), currency, from, plans, caller.subject(), this.clock.instant())
			.as(this.transactions::transactional)
			.flatMap((id) -> this.lists.find((tenant != null) ? tenant : caller.tenantId(), id))
			.map((created) -> ResponseEntity.created(URI.create("/api/v1/billing/price-lists/" + created.id()))
				.body(created));
	}

	private List<PlanPrice> checkedPlans(@Nullable List<@Nullable NewPlanPrice> plans) {
		if (plans == null) {
			throw this.rejections.reject("price-list.plans", "plans are required: " + PLANS);
		}
		List<PlanPrice> checked = new ArrayList<>();
		Set<String> seen = new HashSet<>();
		for (NewPlanPrice plan : plans) {
			String name = (plan != null && plan.plan() != null) ? plan.plan().trim().toUpperCase(Locale.ROOT) : "";
			if (plan == null || !PLANS.contains(name) || !seen.add(name)) {
				throw this.rejections.reject("price-list.plan", "each of " + PLANS + " exactly once");
			}
			Long fee = plan.monthlyFeeMinor();
			Integer devices = plan.maxDevices();
			Integer phones = plan.maxPhones();
			if (fee == null || devices == null || phones == null || fee < 0 || devices < 1 || phones < 1
					|| phones > devices) {
				throw this.rejections.reject("price-list.limits",
						"monthlyFeeMinor >= 0, maxDevices >= 1 and 1 <= maxPhones <= maxDevices are required");
			}
			checked.add(new PlanPrice(0, name, fee, devices, phones));
		}
		if (!seen.containsAll(PLANS)) {
			throw this.rejections.reject("price-list.plan", "each of " + PLANS + " exactly once");
		}
		return checked;
	}

	/**
	 * A plan's price in a new price list.
	 *
	 * @param plan {@code STANDARD} or {@code PREMIUM}
	 * @param monthlyFeeMinor the monthly fee in minor units
	 * @param maxDevices devices the plan links
	 * @param maxPhones phones among them
	 */
	record NewPlanPrice(@Nullable String plan, @Nullable Long monthlyFeeMinor, @Nullable Integer maxDevices,
			@Nullable Integer maxPhones) {

	}

	/**
	 * A new price list version.
	 *
	 * @param name its name
	 * @param currency ISO 4217 code
	 * @param effectiveFrom the first day it applies (not in the past)
	 * @param plans a price for each plan
	 * @param tenantId the tenant whose own (negotiated) version it is; none for the
	 * platform's, which applies to every tenant without its own
	 */
	record NewPriceList(@Nullable String name, @Nullable String currency, @Nullable LocalDate effectiveFrom,
			@Nullable List<@Nullable NewPlanPrice> plans, @Nullable String tenantId) {

	}

}

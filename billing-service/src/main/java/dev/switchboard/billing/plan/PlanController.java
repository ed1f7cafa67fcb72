package dev.switchboard.billing.plan;

import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;

import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.annotations.Operation;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.switchboard.billing.pricing.Currencies;
import dev.switchboard.billing.pricing.PriceLists;
import dev.switchboard.billing.web.Rejections;
import dev.switchboard.events.PlanChanged;
import dev.switchboard.events.Role;
import dev.switchboard.support.outbox.OutboxWriter;
import dev.switchboard.support.web.Caller;

/**
 * The tenant's plan. The OWNER sets, upgrades, downgrades and cancels it; FINANCE and
 * OWNER read it. Every change announces {@link PlanChanged} through the outbox, in the
 * transaction that records it.
 * <ul>
 * <li>first set and upgrade take effect today unless a later day is given;</li>
 * <li>downgrade and cancel (Premium back to Standard) take effect on the first day of
 * next month unless another day is given;</li>
 * <li>an effective day may not be in the past; Premium is prorated by day.</li>
 * </ul>
 */
@RestController
@RequestMapping("/api/v1/billing/plan")
class PlanController {

	private static final List<String> PLANS = List.of("STANDARD", "PREMIUM");

	private final PlanHistory history;

	private final PriceLists prices;

	private final OutboxWriter outbox;

	private final TransactionalOperator transactions;

	private final Rejections rejections;

	private final MeterRegistry meters;

	private final Clock clock;

	PlanController(PlanHistory history, PriceLists prices, OutboxWriter outbox, TransactionalOperator transactions,
			Rejections rejections, MeterRegistry meters, Clock clock) {
		this.history = history;
		this.prices = prices;
		this.outbox = outbox;
		this.transactions = transactions;
		this.rejections = rejections;
		this.meters = meters;
		this.clock = clock;
	}

	@Operation(operationId = "getPlan", summary = "Get the tenant's plan")
	@GetMapping
	Mono<PlanView> get(Caller caller) {
		caller.requireAny(Role.FINANCE, Role.OWNER);
		return view(caller.tenantId());
	}

	@Operation(operationId = "changePlan", summary = "Change the tenant's plan")
	@PutMapping
	Mono<PlanView> change(Caller caller, @RequestBody PlanRequest request) {
		caller.requireAny(Role.OWNER);
		String plan = (request.plan() != null) ? request.plan().trim().toUpperCase(Locale.ROOT) : "";
		if (!PLANS.contains(plan)) {
			throw this.rejections.reject("plan.plan", "plan must be one of " + PLANS);
		}
		@Nullable String currency = (request.currency() != null)
				? Currencies.check(request.currency().trim().toUpperCase(Locale.ROOT), this.rejections) : null;
		LocalDate requested = checkedDay(request.effectiveFrom());
		return apply(caller, plan, currency, requested, false);
	}

	@Operation(operationId = "cancelPlan", summary = "Cancel the tenant's plan")
	@PostMapping("/cancel")
	Mono<PlanView> cancel(Caller caller, @RequestBody(required = false) @Nullable CancelRequest request) {
		caller.requireAny(Role.OWNER);
		LocalDate requested = checkedDay((request != null) ? request.effectiveFrom() : null);
		return apply(caller, "STANDARD", null, requested, true);
	}

	private Mono<PlanView> apply(Caller caller, String plan, @Nullable String currency, @Nullable LocalDate requested,
			boolean cancel) {
		String tenant = caller.tenantId();
		LocalDate today = today();
		return this.history.lock(tenant).then(this.history.changes(tenant)).flatMap((changes) -> {
			String tenantCurrency = changes.isEmpty() ? ((currency != null) ? currency : Currencies.DEFAULT)
					: changes.getFirst().currency();
			if (currency != null && !currency.equals(tenantCurrency)) {
				return Mono.error(this.rejections.reject(HttpStatus.CONFLICT, "plan.currency",
						"The tenant is billed in " + tenantCurrency + "; the currency cannot change"));
			}
			PlanChange before = PlanHistory.on(changes, (requested != null) ? requested : today);
			String kind = kind(before, plan, cancel);
			if (kind == null) {
				return Mono.error(this.rejections.reject(HttpStatus.CONFLICT, "plan.unchanged",
						cancel ? "There is no Premium plan to cancel on that day"
								: "The plan is already " + plan + " on that day"));
			}
			LocalDate effective = (requested != null) ? requested : switch (kind) {
				case "DOWNGRADE", "CANCEL" -> YearMonth.from(today).plusMonths(1).atDay(1);
				default -> today;
			};
			if (requested == null && !kind.equals("SET") && !kind.equals("UPGRADE")) {
				PlanChange then = PlanHistory.on(changes, effective);
				if (then != null && then.plan().equals(plan)) {
					return Mono.error(this.rejections.reject(HttpStatus.CONFLICT, "plan.unchanged",
							"The plan is already " + plan + " from " + effective));
				}
			}
			PlanChange change = new PlanChange(tenant, plan, tenantCurrency, kind, effective, this.clock.instant(),
					caller.subject());
			return this.prices.price(tenant, tenantCurrency, plan, effective)
				.onErrorMap(IllegalStateException.class,
						(ex) -> this.rejections.reject(HttpStatus.CONFLICT, "plan.no-price",
								"No price list prices " + plan + " in " + tenantCurrency + " on " + effective
										+ "; add one at /api/v1/billing/price-lists first"))
				.flatMap((price) -> this.history.supersedeFrom(tenant, effective, change.changedAt())
					.then(this.history.append(change))
					.then(this.outbox.append(new PlanChanged(tenant, plan, price.maxDevices(), price.maxPhones(),
							effective, change.changedAt()))))
				.doOnSuccess((ignored) -> this.meters
					.counter("switchboard.billing.plan.changes", "change", kind, "plan", plan)
					.increment());
		}).as(this.transactions::transactional).then(Mono.defer(() -> view(tenant)));
	}

	private static @Nullable String kind(@Nullable PlanChange before, String plan, boolean cancel) {
		if (cancel) {
			return (before != null && before.plan().equals("PREMIUM")) ? "CANCEL" : null;
		}
		if (before == null) {
			return "SET";
		}
		if (before.plan().equals(plan)) {
			return null;
		}
		return plan.equals("PREMIUM") ? "UPGRADE" : "DOWNGRADE";
	}

	private @Nullable LocalDate checkedDay(@Nullable LocalDate day) {
		if (day != null && day.isBefore(today())) {
			throw this.rejections.reject("plan.effective-from", "effectiveFrom may not be in the past");
		}
		return day;
	}

	private LocalDate today() {
		return LocalDate.ofInstant(this.clock.instant(), ZoneOffset.UTC);
	}

	private Mono<PlanView> view(String tenant) {
		LocalDate today = today();
		return this.history.changes(tenant).flatMap((changes) -> {
			PlanChange current = PlanHistory.on(changes, today);
			List<PlanChange> shown = changes.stream()
				.filter((change) -> change == current || change.effectiveFrom().isAfter(today))
				.toList();
			return Flux.fromIterable(shown)
				.concatMap((change) -> this.prices
					.price(tenant, change.currency(), change.plan(),
							change.effectiveFrom().isAfter(today) ? change.effectiveFrom() : today)
					.map((price) -> new PlanView.State(change.plan(), change.currency(), change.change(),
							change.effectiveFrom(), price.monthlyFeeMinor(), price.maxDevices(), price.maxPhones(),
							change.changedAt(), change.changedBy())))
				.collectList()
				.map((states) -> (current != null) ? new PlanView(states.getFirst(), states.subList(1, states.size()))
						: new PlanView(null, states));
		});
	}

	/**
	 * A plan change.
	 *
	 * @param plan {@code STANDARD} or {@code PREMIUM}
	 * @param currency the billing currency, only when the plan is first set (default EUR)
	 * @param effectiveFrom the first day of the new plan (default: today for a first set
	 * or an upgrade, the first day of next month for a downgrade)
	 */
	record PlanRequest(@Nullable String plan, @Nullable String currency, @Nullable LocalDate effectiveFrom) {

	}

	/**
	 * Cancelling Premium: back to Standard.
	 *
	 * @param effectiveFrom the first day on Standard (default: first day of next month)
	 */
	record CancelRequest(@Nullable LocalDate effectiveFrom) {

	}

}

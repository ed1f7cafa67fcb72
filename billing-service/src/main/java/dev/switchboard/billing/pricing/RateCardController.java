package dev.switchboard.billing.pricing;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
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
 * Rate card versions: the platform's and the tenant's own. A new version takes effect at
 * its {@code effectiveFrom}, which may not be in the past, so a charge once recorded
 * always recomputes to the same price.
 */
@RestController
@RequestMapping("/api/v1/billing/rate-cards")
class RateCardController {

	/**
	 * Who reads rate cards: the tenant's (its own and the platform's) and the operator.
	 */
	private static final Role[] READERS = { Role.OWNER, Role.ADMIN, Role.FINANCE, Role.OPERATOR };

	private final RateCards cards;

	private final TransactionalOperator transactions;

	private final Rejections rejections;

	private final Clock clock;

	RateCardController(RateCards cards, TransactionalOperator transactions, Rejections rejections, Clock clock) {
		this.cards = cards;
		this.transactions = transactions;
		this.rejections = rejections;
		this.clock = clock;
	}

	@Operation(operationId = "listRateCards", summary = "List Meta's rate cards")
	@GetMapping
	Mono<Page<RateCardView>> list(Caller caller, @RequestParam(defaultValue = "20") int limit,
			@RequestParam(required = false) @Nullable String cursor) {
		caller.requireAny(READERS);
		return this.cards.list(caller.tenantId(), Cursor.limit(limit, this.rejections),
				Cursor.decode(cursor, 2, this.rejections, (c) -> {
					java.time.OffsetDateTime.parse(c.key(0));
					Long.parseLong(c.key(1));
				}));
	}

	@Operation(operationId = "getRateCard", summary = "Get a rate card")
	@GetMapping("/{id}")
	Mono<RateCardView> get(Caller caller, @PathVariable long id) {
		caller.requireAny(READERS);
		return this.cards.find(caller.tenantId(), id)
			.switchIfEmpty(Mono.error(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No rate card " + id)));
	}

	@Operation(operationId = "createRateCard", summary = "Publish a rate card")
	@ApiResponse(responseCode = "201", description = "Published; Location names it", useReturnTypeSchema = true)
	@PostMapping
	Mono<ResponseEntity<RateCardView>> create(Caller caller, @RequestBody NewRateCard body) {
		// Prices are the platform's to set, never a tenant's.
		caller.requireAny(Role.OPERATOR);
		NewRateCard card = validate(body);
		String tenant = card.tenantId();
		return this.cards
			.create(tenant, card.name(), card.currency(), card.effectiveFrom(), card.prices(), caller.subject(),
					this.clock.instant())
			.as(this.transactions::transactional)
			.flatMap((id) -> this.cards.find((tenant != null) ? tenant : caller.tenantId(), id))
			.map((created) -> ResponseEntity.created(URI.create("/api/v1/billing/rate-cards/" + created.id()))
				.body(created));
	}

	private NewRateCard validate(NewRateCard body) {
		String name = body.name();
		if (name == null || name.isBlank() || name.length() > 100) {
			throw this.rejections.reject("rate-card.name", "name is required (at most 100 characters)");
		}
		String currency = Currencies.check(body.currency(), this.rejections);
		Instant from = body.effectiveFrom();
		if (from == null || from.isBefore(this.clock.instant())) {
			throw this.rejections.reject("rate-card.effective-from",
					"effectiveFrom is required and may not be in the past: recorded charges keep their price");
		}
		List<RateCardView.@Nullable Price> prices = body.prices();
		if (prices == null || prices.isEmpty()) {
			throw this.rejections.reject("rate-card.prices", "prices are required");
		}
		List<RateCardView.Price> checked = new ArrayList<>();
		Set<String> keys = new HashSet<>();
		for (RateCardView.Price price : prices) {
			if (price == null || price.category() == null || price.price() == null) {
				throw this.rejections.reject("rate-card.prices", "every price needs a category and a price");
			}
			String category = price.category().trim().toUpperCase(Locale.ROOT);
			if (!ChargeCategory.PRICED.stream().map(Enum::name).toList().contains(category)) {
				throw this.rejections.reject("rate-card.category",
						"category must be one of " + ChargeCategory.PRICED + ", not " + price.category());
			}
			String country = (price.countryCode() != null) ? price.countryCode().trim() : "";
			if (!country.matches("\\d{0,4}")) {
				throw this.rejections.reject("rate-card.country-code",
						"countryCode is a calling code of 1 to 4 digits (e.g. 49), or empty for the default");
			}
			BigDecimal amount = price.price();
			if (amount.signum() < 0 || amount.stripTrailingZeros().scale() > 6
					|| amount.precision() - amount.scale() > 6) {
				throw this.rejections.reject("rate-card.price",
						"price must be non-negative with at most 6 decimals and below 1,000,000");
			}
			if (!keys.add(category + "/" + country)) {
				throw this.rejections.reject("rate-card.duplicate", "two prices for " + category + " in " + country);
			}
			checked.add(new RateCardView.Price(category, country, amount));
		}
		for (ChargeCategory category : ChargeCategory.PRICED) {
			if (!keys.contains(category.name() + "/")) {
				throw this.rejections.reject("rate-card.default",
						"a default price (empty countryCode) is required for " + category);
			}
		}
		String tenant = (body.tenantId() != null && !body.tenantId().isBlank()) ? body.tenantId().trim() : null;
		return new NewRateCard(name.trim(), currency, from, List.copyOf(checked), tenant);
	}

	/**
	 * A new rate card version.
	 *
	 * @param name its name
	 * @param currency ISO 4217 code
	 * @param effectiveFrom from when it applies (not in the past)
	 * @param prices one default price per category, optionally per country calling code
	 * @param tenantId the tenant whose own (negotiated) version it is; none for the
	 * platform's, which applies to every tenant without its own
	 */
	record NewRateCard(@Nullable String name, @Nullable String currency, @Nullable Instant effectiveFrom,
			List<RateCardView.@Nullable Price> prices, @Nullable String tenantId) {

	}

}

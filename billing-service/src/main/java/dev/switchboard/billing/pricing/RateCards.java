package dev.switchboard.billing.pricing;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.switchboard.billing.web.Cursor;
import dev.switchboard.billing.web.Page;

import static dev.switchboard.billing.web.Rows.utc;
import static dev.switchboard.billing.web.Rows.value;

/**
 * The rate cards: the platform's (seeded by Flyway) and each tenant's own versions. The
 * card in force at an instant is the one with the latest {@code effective_from} not after
 * it; on the same instant a tenant's own card wins.
 */
@Repository
public class RateCards {

	private final DatabaseClient database;

	RateCards(DatabaseClient database) {
		this.database = database;
	}

	/**
	 * The price of one message.
	 * @param tenantId the tenant
	 * @param currency the tenant's currency
	 * @param category a priced category
	 * @param waId the customer's number, whose longest matching calling code picks the
	 * country price
	 * @param at when the message became billable
	 * @return the rate, or an error if no card prices that currency at that time
	 */
	public Mono<Rate> rate(String tenantId, String currency, ChargeCategory category, String waId, Instant at) {
		return this.database.sql("""
				SELECT p.rate_card_id, p.country_code, p.price
				FROM rate_card_price p
				WHERE p.rate_card_id = (
				    SELECT id FROM rate_card
				    WHERE (tenant_id = :tenant OR tenant_id IS NULL) AND currency = :currency AND effective_from <= :at
				    ORDER BY effective_from DESC, tenant_id NULLS LAST, id DESC LIMIT 1)
				  AND p.category = :category
				  AND (p.country_code = '' OR starts_with(:waId, p.country_code))
				ORDER BY length(p.country_code) DESC
				LIMIT 1""")
			.bind("tenant", tenantId)
			.bind("currency", currency)
			.bind("at", utc(at))
			.bind("category", category.name())
			.bind("waId", waId)
			.map((row) -> new Rate(value(row, "rate_card_id", Long.class), value(row, "country_code", String.class),
					value(row, "price", BigDecimal.class)))
			.one()
			.switchIfEmpty(Mono.error(() -> new IllegalStateException(
					"No rate card prices " + category + " in " + currency + " at " + at + " for " + tenantId)));
	}

	Mono<Page<RateCardView>> list(String tenantId, int limit, @Nullable Cursor after) {
		String keyset = (after != null) ? " AND (effective_from, id) < (:afterAt, :afterId)" : "";
		DatabaseClient.GenericExecuteSpec spec = this.database
			.sql("SELECT * FROM rate_card WHERE (tenant_id = :tenant OR tenant_id IS NULL)" + keyset
					+ " ORDER BY effective_from DESC, id DESC LIMIT :limit")
			.bind("tenant", tenantId)
			.bind("limit", limit + 1);
		if (after != null) {
			spec = spec.bind("afterAt", OffsetDateTime.parse(after.key(0)))
				.bind("afterId", Long.parseLong(after.key(1)));
		}
		return spec.map(RateCards::card)
			.all()
			.concatMap(this::withPrices)
			.collectList()
			.map((cards) -> Page.of(cards, limit,
					(last) -> Cursor.of(utc(last.effectiveFrom()).toString(), Long.toString(last.id()))));
	}

	Mono<RateCardView> find(String tenantId, long id) {
		return this.database
			.sql("SELECT * FROM rate_card WHERE id = :id AND (tenant_id = :tenant OR tenant_id IS NULL)")
			.bind("id", id)
			.bind("tenant", tenantId)
			.map(RateCards::card)
			.one()
			.flatMap(this::withPrices);
	}

	Mono<Long> create(@Nullable String tenantId, String name, String currency, Instant effectiveFrom,
			List<RateCardView.Price> prices, String createdBy, Instant now) {
		return this.database.sql("""
				INSERT INTO rate_card (tenant_id, name, currency, effective_from, created_at, created_by)
				VALUES (:tenant, :name, :currency, :from, :now, :by) RETURNING id""")
			// No tenant: the platform's own version, for every tenant without one.
			.bind("tenant", Parameter.fromOrEmpty(tenantId, String.class))
			.bind("name", name)
			.bind("currency", currency)
			.bind("from", utc(effectiveFrom))
			.bind("now", utc(now))
			.bind("by", createdBy)
			.map((row) -> value(row, "id", Long.class))
			.one()
			.flatMap((id) -> Flux.fromIterable(prices)
				.concatMap((price) -> this.database.sql("""
						INSERT INTO rate_card_price (rate_card_id, category, country_code, price)
						VALUES (:card, :category, :country, :price)""")
					.bind("card", id)
					.bind("category", price.category())
					.bind("country", price.countryCode())
					.bind("price", price.price())
					.then())
				.then(Mono.just(id)));
	}

	private Mono<RateCardView> withPrices(RateCardView card) {
		return this.database
			.sql("SELECT category, country_code, price FROM rate_card_price WHERE rate_card_id = :id"
					+ " ORDER BY category, country_code")
			.bind("id", card.id())
			.map((row) -> new RateCardView.Price(value(row, "category", String.class),
					value(row, "country_code", String.class), value(row, "price", BigDecimal.class)))
			.all()
			.collectList()
			.map((prices) -> new RateCardView(card.id(), card.tenantId(), card.name(), card.currency(),
					card.effectiveFrom(), prices, card.createdAt(), card.createdBy()));
	}

	private static RateCardView card(Readable row) {
		return new RateCardView(value(row, "id", Long.class), row.get("tenant_id", String.class),
				value(row, "name", String.class), value(row, "currency", String.class),
				value(row, "effective_from", OffsetDateTime.class).toInstant(), List.of(),
				value(row, "created_at", OffsetDateTime.class).toInstant(), value(row, "created_by", String.class));
	}

}

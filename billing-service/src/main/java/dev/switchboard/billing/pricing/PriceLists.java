package dev.switchboard.billing.pricing;

import java.time.Instant;
import java.time.LocalDate;
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

import static dev.switchboard.billing.web.Rows.date;
import static dev.switchboard.billing.web.Rows.instant;
import static dev.switchboard.billing.web.Rows.utc;
import static dev.switchboard.billing.web.Rows.value;

/**
 * The plans' price lists: the platform's (seeded by Flyway) and tenants' own versions.
 * The list in force on a day is the one with the latest {@code effective_from} not after
 * it; on the same day a tenant's own list wins.
 */
@Repository
public class PriceLists {

	private final DatabaseClient database;

	PriceLists(DatabaseClient database) {
		this.database = database;
	}

	/**
	 * A plan's price on a day.
	 * @param tenantId the tenant
	 * @param currency the currency
	 * @param plan the plan
	 * @param day the day
	 * @return the price, or an error if no list prices the plan then
	 */
	public Mono<PlanPrice> price(String tenantId, String currency, String plan, LocalDate day) {
		return this.database.sql("""
				SELECT p.* FROM plan_price p
				WHERE p.price_list_id = (
				    SELECT id FROM price_list
				    WHERE (tenant_id = :tenant OR tenant_id IS NULL) AND currency = :currency AND effective_from <= :day
				    ORDER BY effective_from DESC, tenant_id NULLS LAST, id DESC LIMIT 1)
				  AND p.plan = :plan""")
			.bind("tenant", tenantId)
			.bind("currency", currency)
			.bind("day", day)
			.bind("plan", plan)
			.map(PriceLists::planPrice)
			.one()
			.switchIfEmpty(Mono.error(() -> new IllegalStateException(
					"No price list prices " + plan + " in " + currency + " on " + day + " for " + tenantId)));
	}

	Mono<Page<PriceListView>> list(String tenantId, int limit, @Nullable Cursor after) {
		String keyset = (after != null) ? " AND (effective_from, id) < (:afterDay, :afterId)" : "";
		DatabaseClient.GenericExecuteSpec spec = this.database
			.sql("SELECT * FROM price_list WHERE (tenant_id = :tenant OR tenant_id IS NULL)" + keyset
					+ " ORDER BY effective_from DESC, id DESC LIMIT :limit")
			.bind("tenant", tenantId)
			.bind("limit", limit + 1);
		if (after != null) {
			spec = spec.bind("afterDay", LocalDate.parse(after.key(0))).bind("afterId", Long.parseLong(after.key(1)));
		}
		return spec.map(PriceLists::priceList)
			.all()
			.concatMap(this::withPlans)
			.collectList()
			.map((lists) -> Page.of(lists, limit,
					(last) -> Cursor.of(last.effectiveFrom().toString(), Long.toString(last.id()))));
	}

	Mono<PriceListView> find(String tenantId, long id) {
		return this.database
			.sql("SELECT * FROM price_list WHERE id = :id AND (tenant_id = :tenant OR tenant_id IS NULL)")
			.bind("id", id)
			.bind("tenant", tenantId)
			.map(PriceLists::priceList)
			.one()
			.flatMap(this::withPlans);
	}

	Mono<Long> create(@Nullable String tenantId, String name, String currency, LocalDate effectiveFrom,
			List<PlanPrice> plans, String createdBy, Instant now) {
		return this.database.sql("""
				INSERT INTO price_list (tenant_id, name, currency, effective_from, created_at, created_by)
				VALUES (:tenant, :name, :currency, :from, :now, :by) RETURNING id""")
			// No tenant: the platform's own version, for every tenant without one.
			.bind("tenant", Parameter.fromOrEmpty(tenantId, String.class))
			.bind("name", name)
			.bind("currency", currency)
			.bind("from", effectiveFrom)
			.bind("now", utc(now))
			.bind("by", createdBy)
			.map((row) -> value(row, "id", Long.class))
			.one()
			.flatMap((id) -> Flux.fromIterable(plans)
				.concatMap((plan) -> this.database.sql("""
						INSERT INTO plan_price (price_list_id, plan, monthly_fee_minor, max_devices, max_phones)
						VALUES (:list, :plan, :fee, :devices, :phones)""")
					.bind("list", id)
					.bind("plan", plan.plan())
					.bind("fee", plan.monthlyFeeMinor())
					.bind("devices", plan.maxDevices())
					.bind("phones", plan.maxPhones())
					.then())
				.then(Mono.just(id)));
	}

	private Mono<PriceListView> withPlans(PriceListView list) {
		return this.database.sql("SELECT * FROM plan_price WHERE price_list_id = :id ORDER BY plan")
			.bind("id", list.id())
			.map(PriceLists::planPrice)
			.all()
			.collectList()
			.map((plans) -> new PriceListView(list.id(), list.tenantId(), list.name(), list.currency(),
					list.effectiveFrom(), plans, list.createdAt(), list.createdBy()));
	}

	private static PlanPrice planPrice(Readable row) {
		return new PlanPrice(value(row, "price_list_id", Long.class), value(row, "plan", String.class),
				value(row, "monthly_fee_minor", Long.class), value(row, "max_devices", Integer.class),
				value(row, "max_phones", Integer.class));
	}

	private static PriceListView priceList(Readable row) {
		return new PriceListView(value(row, "id", Long.class), row.get("tenant_id", String.class),
				value(row, "name", String.class), value(row, "currency", String.class), date(row, "effective_from"),
				List.of(), instant(row, "created_at"), value(row, "created_by", String.class));
	}

}

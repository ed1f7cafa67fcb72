package dev.switchboard.billing.plan;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;

import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

import dev.switchboard.billing.pricing.Currencies;

import static dev.switchboard.billing.web.Rows.date;
import static dev.switchboard.billing.web.Rows.instant;
import static dev.switchboard.billing.web.Rows.utc;
import static dev.switchboard.billing.web.Rows.value;

/**
 * A tenant's plan history, append-only. A change for a day supersedes the changes
 * scheduled for that day or later (which can only be today or in the future), so the past
 * never changes and a month recomputes to what was issued.
 */
@Repository
public class PlanHistory {

	private final DatabaseClient database;

	PlanHistory(DatabaseClient database) {
		this.database = database;
	}

	/**
	 * The tenant's plan changes in force, oldest first.
	 * @param tenantId the tenant
	 * @return the changes (not superseded)
	 */
	Mono<List<PlanChange>> changes(String tenantId) {
		return this.database
			.sql("SELECT * FROM tenant_plan WHERE tenant_id = :tenant AND superseded_at IS NULL"
					+ " ORDER BY effective_from, id")
			.bind("tenant", tenantId)
			.map(PlanHistory::change)
			.all()
			.collectList();
	}

	/**
	 * The tenant's currency: the one its plan was first set in, or the default.
	 * @param tenantId the tenant
	 * @return the currency
	 */
	public Mono<String> currency(String tenantId) {
		return changes(tenantId)
			.map((changes) -> changes.isEmpty() ? Currencies.DEFAULT : changes.getFirst().currency());
	}

	/**
	 * The plan of each day of a month, as runs of days; days before the tenant's first
	 * plan are in no segment.
	 * @param tenantId the tenant
	 * @param month the month
	 * @return the segments in day order
	 */
	public Mono<List<PlanSegment>> segments(String tenantId, YearMonth month) {
		return changes(tenantId).map((changes) -> segments(changes, month));
	}

	static List<PlanSegment> segments(List<PlanChange> changes, YearMonth month) {
		List<PlanSegment> segments = new ArrayList<>();
		for (LocalDate day = month.atDay(1); !day.isAfter(month.atEndOfMonth()); day = day.plusDays(1)) {
			PlanChange on = on(changes, day);
			if (on == null) {
				continue;
			}
			PlanSegment last = segments.isEmpty() ? null : segments.getLast();
			if (last != null && last.plan().equals(on.plan()) && last.currency().equals(on.currency())
					&& last.to().plusDays(1).equals(day)) {
				segments.set(segments.size() - 1, new PlanSegment(last.plan(), last.currency(), last.from(), day));
			}
			else {
				segments.add(new PlanSegment(on.plan(), on.currency(), day, day));
			}
		}
		return List.copyOf(segments);
	}

	static @Nullable PlanChange on(List<PlanChange> changes, LocalDate day) {
		PlanChange result = null;
		for (PlanChange change : changes) {
			if (!change.effectiveFrom().isAfter(day)) {
				result = change;
			}
		}
		return result;
	}

	Mono<Void> supersedeFrom(String tenantId, LocalDate day, Instant now) {
		return this.database.sql("""
				UPDATE tenant_plan SET superseded_at = :now
				WHERE tenant_id = :tenant AND effective_from >= :day AND superseded_at IS NULL""")
			.bind("now", utc(now))
			.bind("tenant", tenantId)
			.bind("day", day)
			.then();
	}

	Mono<Void> append(PlanChange change) {
		return this.database.sql("""
				INSERT INTO tenant_plan (tenant_id, plan, currency, change, effective_from, changed_at, changed_by)
				VALUES (:tenant, :plan, :currency, :change, :from, :at, :by)""")
			.bind("tenant", change.tenantId())
			.bind("plan", change.plan())
			.bind("currency", change.currency())
			.bind("change", change.change())
			.bind("from", change.effectiveFrom())
			.bind("at", utc(change.changedAt()))
			.bind("by", change.changedBy())
			.then();
	}

	/** Serialises plan changes of one tenant within the transaction. */
	Mono<Void> lock(String tenantId) {
		return this.database.sql("SELECT pg_advisory_xact_lock(hashtext('billing-plan:' || :tenant))")
			.bind("tenant", tenantId)
			.then();
	}

	private static PlanChange change(Readable row) {
		return new PlanChange(value(row, "tenant_id", String.class), value(row, "plan", String.class),
				value(row, "currency", String.class), value(row, "change", String.class), date(row, "effective_from"),
				instant(row, "changed_at"), value(row, "changed_by", String.class));
	}

}

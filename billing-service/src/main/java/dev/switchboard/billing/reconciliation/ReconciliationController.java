package dev.switchboard.billing.reconciliation;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.r2dbc.spi.Readable;
import io.swagger.v3.oas.annotations.Operation;
import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import dev.switchboard.billing.web.Rejections;
import dev.switchboard.events.Role;
import dev.switchboard.support.web.Caller;

import static dev.switchboard.billing.web.Rows.instant;
import static dev.switchboard.billing.web.Rows.utc;

/**
 * The month's mismatches between billing's own charges and Meta's pricing of the same
 * messages: a different category, a different billable flag, or a message Meta bills that
 * billing never charged. FINANCE and OWNER only.
 */
@RestController
class ReconciliationController {

	private final DatabaseClient database;

	private final Rejections rejections;

	private final Clock clock;

	ReconciliationController(DatabaseClient database, Rejections rejections, Clock clock) {
		this.database = database;
		this.rejections = rejections;
		this.clock = clock;
	}

	/**
	 * The reconciliation of a month: billing's charges of the month (by billable time)
	 * and Meta's pricing of messages that have no charge, reported in the month.
	 * @param caller FINANCE or OWNER
	 * @param month {@code YYYY-MM}, the current month by default
	 * @return the report
	 */
	@Operation(operationId = "getReconciliation", summary = "Reconcile a month's charges with Meta's pricing")
	@GetMapping("/api/v1/billing/reconciliation")
	Mono<Reconciliation> reconciliation(Caller caller, @RequestParam(required = false) @Nullable String month) {
		caller.requireAny(Role.FINANCE, Role.OWNER);
		YearMonth checked = (month != null) ? this.rejections.month(month)
				: YearMonth.from(this.clock.instant().atOffset(ZoneOffset.UTC));
		Instant from = checked.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
		Instant to = checked.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
		return this.database
			.sql("""
					WITH ours AS (
					    SELECT * FROM charge WHERE tenant_id = :tenant AND billing_month = :month
					), theirs AS (
					    SELECT p.* FROM meta_pricing p
					    WHERE p.tenant_id = :tenant
					      AND (p.wamid IN (SELECT wamid FROM ours)
					           OR (p.reported_at >= :from AND p.reported_at < :to
					               AND NOT EXISTS (SELECT 1 FROM charge c WHERE c.wamid = p.wamid)))
					)
					SELECT COALESCE(o.wamid, t.wamid) AS wamid, COALESCE(o.conversation_id, t.conversation_id) AS conversation_id,
					       COALESCE(o.billable_at, t.reported_at) AS at, o.wamid IS NOT NULL AS has_charge,
					       t.wamid IS NOT NULL AS has_pricing, o.category AS charge_category, o.charged, o.unit_price,
					       o.currency, t.category AS meta_category, t.billable AS meta_billable, t.pricing_model,
					       t.type AS pricing_type
					FROM ours o FULL OUTER JOIN theirs t ON o.wamid = t.wamid
					ORDER BY at, wamid""")
			.bind("tenant", caller.tenantId())
			.bind("month", checked.atDay(1))
			.bind("from", utc(from))
			.bind("to", utc(to))
			.map(ReconciliationController::line)
			.all()
			.collectList()
			.map((lines) -> report(checked, lines));
	}

	private static Line line(Readable row) {
		return new Line(row.get("wamid", String.class), row.get("conversation_id", String.class), instant(row, "at"),
				Boolean.TRUE.equals(row.get("has_charge", Boolean.class)),
				Boolean.TRUE.equals(row.get("has_pricing", Boolean.class)), row.get("charge_category", String.class),
				row.get("charged", Boolean.class), row.get("unit_price", BigDecimal.class),
				row.get("currency", String.class), row.get("meta_category", String.class),
				row.get("meta_billable", Boolean.class), row.get("pricing_model", String.class),
				row.get("pricing_type", String.class));
	}

	static Reconciliation report(YearMonth month, List<Line> lines) {
		long compared = 0;
		long unreported = 0;
		long categoryMismatches = 0;
		long billableMismatches = 0;
		long uncharged = 0;
		BigDecimal chargedOnMismatches = BigDecimal.ZERO;
		String currency = null;
		Set<String> conversations = new HashSet<>();
		List<Mismatch> mismatches = new ArrayList<>();
		for (Line line : lines) {
			if (line.hasCharge() && !line.hasPricing()) {
				unreported++;
				continue;
			}
			List<String> reasons = new ArrayList<>();
			if (!line.hasCharge()) {
				if (Boolean.TRUE.equals(line.metaBillable())) {
					reasons.add("UNCHARGED");
					uncharged++;
				}
			}
			else {
				compared++;
				String metaCategory = category(line.metaCategory());
				if (metaCategory != null && !metaCategory.equals(line.chargeCategory())) {
					reasons.add("CATEGORY");
					categoryMismatches++;
				}
				if (line.metaBillable() != null && !line.metaBillable().equals(line.charged())) {
					reasons.add("BILLABLE");
					billableMismatches++;
				}
			}
			if (reasons.isEmpty()) {
				continue;
			}
			if (Boolean.TRUE.equals(line.charged()) && line.unitPrice() != null) {
				chargedOnMismatches = chargedOnMismatches.add(line.unitPrice());
				currency = (currency != null) ? currency : line.currency();
			}
			conversations.add(line.conversationId());
			mismatches
				.add(new Mismatch(line.wamid(), line.conversationId(), line.at(), line.chargeCategory(), line.charged(),
						line.unitPrice(), line.currency(), category(line.metaCategory()), line.metaCategory(),
						line.metaBillable(), line.pricingModel(), line.pricingType(), List.copyOf(reasons)));
		}
		return new Reconciliation(month.toString(), compared, unreported, mismatches.size(), conversations.size(),
				categoryMismatches, billableMismatches, uncharged, chargedOnMismatches, currency, mismatches);
	}

	/**
	 * Meta's pricing category in billing's terms: the authentication categories are one,
	 * a free entry point ({@code referral_conversion}) is a service message.
	 */
	static @Nullable String category(@Nullable String meta) {
		if (meta == null) {
			return null;
		}
		String upper = meta.trim().toUpperCase(Locale.ROOT).replace('-', '_');
		return switch (upper) {
			case "AUTHENTICATION_INTERNATIONAL" -> "AUTHENTICATION";
			case "MARKETING_LITE" -> "MARKETING";
			case "REFERRAL_CONVERSION" -> "SERVICE";
			default -> upper;
		};
	}

	/** One message, as billing charged it and Meta priced it. */
	record Line(String wamid, String conversationId, Instant at, boolean hasCharge, boolean hasPricing,
			@Nullable String chargeCategory, @Nullable Boolean charged, @Nullable BigDecimal unitPrice,
			@Nullable String currency, @Nullable String metaCategory, @Nullable Boolean metaBillable,
			@Nullable String pricingModel, @Nullable String pricingType) {

	}

	/**
	 * The month's report.
	 *
	 * @param month {@code YYYY-MM}
	 * @param compared messages both billing charged and Meta priced
	 * @param unreported messages billing charged that Meta sent no pricing for
	 * @param mismatches messages that differ
	 * @param conversations conversations with at least one mismatch
	 * @param categoryMismatches messages whose category differs
	 * @param billableMismatches messages billing charged and Meta does not bill, or the
	 * other way round
	 * @param uncharged messages Meta bills that billing has no charge for
	 * @param chargedOnMismatches what billing charged for the mismatched messages
	 * @param currency its currency, null when nothing was charged
	 * @param lines the mismatched messages
	 */
	record Reconciliation(String month, long compared, long unreported, long mismatches, long conversations,
			long categoryMismatches, long billableMismatches, long uncharged, BigDecimal chargedOnMismatches,
			@Nullable String currency, List<Mismatch> lines) {

	}

	/**
	 * A message billing and Meta disagree on.
	 *
	 * @param wamid Meta's message id
	 * @param conversationId the conversation
	 * @param at when it became billable (billing) or was priced (Meta)
	 * @param chargeCategory billing's category, null when billing has no charge
	 * @param charged whether billing charged it
	 * @param unitPrice billing's price
	 * @param currency its currency
	 * @param metaCategory Meta's category in billing's terms
	 * @param metaCategoryAsSent Meta's category as Meta sent it
	 * @param metaBillable whether Meta bills it
	 * @param pricingModel Meta's pricing model
	 * @param pricingType Meta's pricing type
	 * @param reasons {@code CATEGORY}, {@code BILLABLE}, {@code UNCHARGED}
	 */
	record Mismatch(String wamid, String conversationId, Instant at, @Nullable String chargeCategory,
			@Nullable Boolean charged, @Nullable BigDecimal unitPrice, @Nullable String currency,
			@Nullable String metaCategory, @Nullable String metaCategoryAsSent, @Nullable Boolean metaBillable,
			@Nullable String pricingModel, @Nullable String pricingType, List<String> reasons) {

	}

}

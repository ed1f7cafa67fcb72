package dev.switchboard.billing.invoice;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.switchboard.billing.charge.ChargeLine;
import dev.switchboard.billing.plan.PlanHistory;
import dev.switchboard.billing.plan.PlanSegment;
import dev.switchboard.billing.pricing.ChargeCategory;
import dev.switchboard.billing.pricing.Currencies;
import dev.switchboard.billing.pricing.PriceLists;

/**
 * The lines of a month: one subscription line per run of days on a plan (the monthly fee
 * prorated by day: {@code fee × days ÷ days of the month}, rounded half up to minor
 * units), then one usage line per category, window, charge, late reply, country and price
 * ({@code price × messages}, rounded half up).
 */
@Component
class InvoiceCalculator {

	private final PlanHistory plans;

	private final PriceLists prices;

	InvoiceCalculator(PlanHistory plans, PriceLists prices) {
		this.plans = plans;
		this.prices = prices;
	}

	Mono<List<InvoiceLine>> lines(String tenantId, YearMonth month, List<ChargeLine> charges) {
		return this.plans.segments(tenantId, month)
			.flatMapMany(Flux::fromIterable)
			.concatMap((segment) -> subscription(tenantId, month, segment))
			.collectList()
			.map((subscription) -> {
				List<InvoiceLine> lines = new ArrayList<>(subscription);
				lines.addAll(usage(charges));
				return List.copyOf(lines);
			});
	}

	private Mono<InvoiceLine> subscription(String tenantId, YearMonth month, PlanSegment segment) {
		return this.prices.price(tenantId, segment.currency(), segment.plan(), segment.from()).map((price) -> {
			int days = segment.days();
			int monthDays = month.lengthOfMonth();
			long amount = BigDecimal.valueOf(price.monthlyFeeMinor())
				.multiply(BigDecimal.valueOf(days))
				.divide(BigDecimal.valueOf(monthDays), 0, RoundingMode.HALF_UP)
				.longValueExact();
			String description = (days == monthDays) ? segment.plan() + " plan, " + month : segment.plan() + " plan, "
					+ days + " of " + monthDays + " days (" + segment.from() + " to " + segment.to() + ")";
			BigDecimal fee = new BigDecimal(Currencies.format(price.monthlyFeeMinor(), segment.currency()));
			return new InvoiceLine("SUBSCRIPTION|" + segment.plan() + "|" + segment.from() + "|" + segment.to(),
					"SUBSCRIPTION", description, days, fee.setScale(6), amount);
		});
	}

	static List<InvoiceLine> usage(List<ChargeLine> charges) {
		Map<String, List<ChargeLine>> groups = new TreeMap<>();
		for (ChargeLine charge : charges) {
			String key = String.join("|", "USAGE", charge.category().name(), charge.inWindow() ? "inside" : "outside",
					charge.charged() ? "charged" : "free", charge.lateReply() ? "late" : "reply", charge.countryCode(),
					charge.unitPrice().setScale(6).toPlainString());
			groups.computeIfAbsent(key, (ignored) -> new ArrayList<>()).add(charge);
		}
		List<InvoiceLine> lines = new ArrayList<>();
		groups.forEach((key, group) -> {
			ChargeLine first = group.getFirst();
			BigDecimal total = first.unitPrice().multiply(BigDecimal.valueOf(group.size()));
			lines.add(new InvoiceLine(key, "USAGE", describe(first), group.size(), first.unitPrice().setScale(6),
					Currencies.toMinor(total, first.currency())));
		});
		return lines;
	}

	private static String describe(ChargeLine line) {
		String country = line.countryCode().isEmpty() ? "" : " to +" + line.countryCode();
		String window = line.inWindow() ? " inside the 24-hour window" : " outside the 24-hour window";
		if (line.category() == ChargeCategory.SERVICE) {
			return "Free-form replies" + window + country + " (free)";
		}
		String what = (line.lateReply() ? "Late replies: " : "") + line.category() + " templates" + window + country;
		return line.charged()
				? what + " at " + line.unitPrice().stripTrailingZeros().toPlainString() + " " + line.currency()
				: what + " (free)";
	}

}

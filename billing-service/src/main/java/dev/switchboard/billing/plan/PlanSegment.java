package dev.switchboard.billing.plan;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/**
 * A run of days of one month on one plan.
 *
 * @param plan the plan
 * @param currency its currency
 * @param from the first day
 * @param to the last day (inclusive)
 */
public record PlanSegment(String plan, String currency, LocalDate from, LocalDate to) {

	public int days() {
		return (int) ChronoUnit.DAYS.between(this.from, this.to) + 1;
	}

}

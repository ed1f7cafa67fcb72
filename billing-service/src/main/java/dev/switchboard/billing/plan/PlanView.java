package dev.switchboard.billing.plan;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A tenant's plan today and the changes scheduled after today.
 *
 * @param current the plan in force today, or null if none was ever set
 * @param scheduled changes taking effect after today
 */
record PlanView(@Nullable State current, List<State> scheduled) {

	/**
	 * A plan from a day on, with its price from the price list of that day.
	 *
	 * @param plan {@code STANDARD} or {@code PREMIUM}
	 * @param currency ISO 4217 code
	 * @param change how it came about: {@code SET}, {@code UPGRADE}, {@code DOWNGRADE},
	 * {@code CANCEL}
	 * @param effectiveFrom its first day
	 * @param monthlyFeeMinor its monthly fee in minor units (Premium is prorated by day)
	 * @param maxDevices devices it links
	 * @param maxPhones phones among them
	 * @param changedAt when the change was made
	 * @param changedBy who made it
	 */
	record State(String plan, String currency, String change, LocalDate effectiveFrom, long monthlyFeeMinor,
			int maxDevices, int maxPhones, Instant changedAt, String changedBy) {

	}

}

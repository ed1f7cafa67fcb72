package dev.switchboard.billing.plan;

import java.time.Instant;
import java.time.LocalDate;

/**
 * One change of a tenant's plan.
 *
 * @param tenantId the tenant
 * @param plan the plan from {@code effectiveFrom} on
 * @param currency the currency it is billed in
 * @param change {@code SET}, {@code UPGRADE}, {@code DOWNGRADE} or {@code CANCEL}
 * @param effectiveFrom the first day of the plan
 * @param changedAt when the change was made
 * @param changedBy who made it
 */
record PlanChange(String tenantId, String plan, String currency, String change, LocalDate effectiveFrom,
		Instant changedAt, String changedBy) {

}

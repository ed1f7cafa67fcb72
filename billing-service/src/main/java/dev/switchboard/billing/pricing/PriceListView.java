package dev.switchboard.billing.pricing;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A version of the plans' price list.
 *
 * @param id the version
 * @param tenantId the tenant it applies to, or null for the platform's list
 * @param name its name
 * @param currency ISO 4217 code
 * @param effectiveFrom the first day it applies
 * @param plans the plans' prices and limits
 * @param createdAt when it was added
 * @param createdBy who added it
 */
record PriceListView(long id, @Nullable String tenantId, String name, String currency, LocalDate effectiveFrom,
		List<PlanPrice> plans, Instant createdAt, String createdBy) {

}

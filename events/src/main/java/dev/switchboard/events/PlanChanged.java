package dev.switchboard.events;

import java.time.Instant;
import java.time.LocalDate;

import org.jspecify.annotations.Nullable;

/**
 * A tenant's plan changed (or was first set). Tenant-wide: keyed by the tenant.
 *
 * @param tenantId the tenant
 * @param plan {@code STANDARD} or {@code PREMIUM}
 * @param maxDevices how many devices the plan links
 * @param maxPhones how many of them may be phones
 * @param effectiveFrom the day the plan takes effect
 * @param changedAt when the change was made
 */
public record PlanChanged(String tenantId, String plan, int maxDevices, int maxPhones, LocalDate effectiveFrom,
		Instant changedAt) implements BillingEvent {

	@Override
	public @Nullable String conversationId() {
		return null;
	}

}

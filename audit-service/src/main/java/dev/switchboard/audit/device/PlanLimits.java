package dev.switchboard.audit.device;

/**
 * How many devices a tenant's plan links.
 *
 * @param plan {@code STANDARD} or {@code PREMIUM}
 * @param maxDevices devices not revoked, at most
 * @param maxPhones of which phones, at most
 */
record PlanLimits(String plan, int maxDevices, int maxPhones) {

	/** A tenant billing has announced no plan for. */
	static final PlanLimits STANDARD = new PlanLimits("STANDARD", 4, 1);

	/** What an upgrade offers, for the problem that refuses a device over the limit. */
	static final PlanLimits PREMIUM = new PlanLimits("PREMIUM", 10, 10);

	String upgradeHint() {
		if ("PREMIUM".equalsIgnoreCase(this.plan)) {
			return "Revoke a device you no longer use (POST /api/v1/devices/{id}/revoke); PREMIUM is the largest plan.";
		}
		return "Revoke a device you no longer use (POST /api/v1/devices/{id}/revoke), or upgrade to PREMIUM"
				+ " (up to " + PREMIUM.maxDevices + " devices, several of them phones) in the billing settings.";
	}

}

package dev.switchboard.billing.pricing;

/**
 * What a plan costs and allows, from one price list version.
 *
 * @param priceListId the price list version
 * @param plan {@code STANDARD} or {@code PREMIUM}
 * @param monthlyFeeMinor the monthly fee in minor units
 * @param maxDevices how many devices the plan links
 * @param maxPhones how many of them may be phones
 */
public record PlanPrice(long priceListId, String plan, long monthlyFeeMinor, int maxDevices, int maxPhones) {

}

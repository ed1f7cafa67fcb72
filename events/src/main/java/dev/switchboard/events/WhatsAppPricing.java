package dev.switchboard.events;

import org.jspecify.annotations.Nullable;

/**
 * Meta's {@code statuses[].pricing}: how Meta says it bills the message.
 *
 * @param billable whether Meta bills it
 * @param category Meta's pricing category ({@code marketing}, {@code utility},
 * {@code authentication}, {@code service}, {@code referral_conversion}, ...)
 * @param pricingModel {@code PMP} (per message) or {@code CBP} (per conversation)
 * @param type {@code regular}, {@code free_customer_service} or {@code free_entry_point},
 * when Meta sent it
 */
public record WhatsAppPricing(@Nullable Boolean billable, @Nullable String category, @Nullable String pricingModel,
		@Nullable String type) {

}

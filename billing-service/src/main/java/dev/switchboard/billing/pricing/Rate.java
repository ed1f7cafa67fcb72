package dev.switchboard.billing.pricing;

import java.math.BigDecimal;

/**
 * The price of one message from a rate card.
 *
 * @param rateCardId the card
 * @param countryCode the calling code the price is for, or {@code ""} for the default
 * @param price the price per message, in the currency's units
 */
public record Rate(long rateCardId, String countryCode, BigDecimal price) {

}

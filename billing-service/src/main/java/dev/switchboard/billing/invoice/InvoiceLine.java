package dev.switchboard.billing.invoice;

import java.math.BigDecimal;

/**
 * One line of an invoice.
 *
 * @param key what the line is, stable across recomputation (e.g.
 * {@code USAGE|MARKETING|outside|charged|reply|49|0.113100})
 * @param kind {@code SUBSCRIPTION}, {@code USAGE} or {@code CREDIT}
 * @param description for people
 * @param quantity days of a plan, or messages
 * @param unitPrice the monthly fee of a plan, or the price per message, in the currency's
 * units
 * @param amountMinor the line's amount in minor units
 */
record InvoiceLine(String key, String kind, String description, long quantity, BigDecimal unitPrice, long amountMinor) {

}

package dev.switchboard.billing.invoice;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * An invoice or credit note.
 *
 * @param id its id
 * @param number its number, once issued
 * @param kind {@code INVOICE} or {@code CREDIT_NOTE}
 * @param status {@code DRAFT} or {@code ISSUED} (immutable)
 * @param month the month it bills, {@code YYYY-MM}
 * @param currency ISO 4217 code
 * @param lines its lines
 * @param totalMinor the total in minor units (negative for a credit note)
 * @param total the total as a decimal amount
 * @param corrects the invoice a credit note corrects
 * @param reason why a credit note was issued
 * @param createdAt when it was created
 * @param issuedAt when it was issued
 */
record InvoiceView(UUID id, @Nullable String number, String kind, String status, String month, String currency,
		List<InvoiceLine> lines, long totalMinor, String total, @Nullable UUID corrects, @Nullable String reason,
		Instant createdAt, @Nullable Instant issuedAt) {

}

package dev.switchboard.billing.invoice;

import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * An invoice compared with its month rebuilt from the event ledger.
 *
 * @param invoiceId the invoice
 * @param month the month
 * @param status the invoice's status
 * @param invoicedTotalMinor its total
 * @param recomputedTotalMinor the rebuilt total
 * @param matches whether every line is equal
 * @param differences the lines that differ, by line key
 */
record Recomputation(UUID invoiceId, String month, String status, long invoicedTotalMinor, long recomputedTotalMinor,
		boolean matches, List<Difference> differences) {

	/**
	 * A line that differs.
	 *
	 * @param key the line key
	 * @param description the line
	 * @param invoicedQuantity on the invoice, or null if the line is not on it
	 * @param recomputedQuantity rebuilt, or null if the rebuilt month has no such line
	 * @param invoicedAmountMinor on the invoice
	 * @param recomputedAmountMinor rebuilt
	 */
	record Difference(String key, String description, @Nullable Long invoicedQuantity,
			@Nullable Long recomputedQuantity, @Nullable Long invoicedAmountMinor,
			@Nullable Long recomputedAmountMinor) {

	}

}

/**
 * Monthly invoices, credit notes, CSV exports and recomputation from the event ledger.
 */
@NullMarked
package dev.switchboard.billing.invoice;

import org.jspecify.annotations.NullMarked;

/**
 * Reconciliation with Meta: what Meta says it bills ({@code statuses[].pricing}) beside
 * billing's own charge, and the mismatch report for finance.
 */
@NullMarked
package dev.switchboard.billing.reconciliation;

import org.jspecify.annotations.NullMarked;

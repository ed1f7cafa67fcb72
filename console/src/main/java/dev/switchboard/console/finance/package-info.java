/**
 * Finance's pages: usage, invoices, credit notes, the CSV download, late replies.
 */
@NullMarked
package dev.switchboard.console.finance;

import org.jspecify.annotations.NullMarked;

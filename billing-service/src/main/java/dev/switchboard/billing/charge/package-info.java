/**
 * The event ledger and the charges of delivered messages, once per wamid; the late-reply
 * report.
 */
@NullMarked
package dev.switchboard.billing.charge;

import org.jspecify.annotations.NullMarked;

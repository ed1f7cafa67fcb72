/** Billing: plans, device seats, response-window charges and invoices. */
@NullMarked
package dev.switchboard.billing;

import org.jspecify.annotations.NullMarked;

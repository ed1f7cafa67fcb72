/**
 * Rate cards and price lists, versioned and effective-dated, and how a send is classified
 * against the window.
 */
@NullMarked
package dev.switchboard.billing.pricing;

import org.jspecify.annotations.NullMarked;

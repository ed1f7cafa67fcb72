/** What every billing endpoint shares: pages, cursors, months and refusals. */
@NullMarked
package dev.switchboard.billing.web;

import org.jspecify.annotations.NullMarked;

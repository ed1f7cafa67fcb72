/**
 * What every API of the service shares: pages, cursors and problem details for refusals.
 */
@NullMarked
package dev.switchboard.audit.web;

import org.jspecify.annotations.NullMarked;

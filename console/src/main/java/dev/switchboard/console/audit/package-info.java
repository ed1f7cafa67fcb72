/**
 * The audit log's verification state for owners and admins.
 */
@NullMarked
package dev.switchboard.console.audit;

import org.jspecify.annotations.NullMarked;

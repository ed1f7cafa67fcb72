/**
 * Owners' and admins' devices: register, rename, revoke, within the plan's limits.
 */
@NullMarked
package dev.switchboard.console.devices;

import org.jspecify.annotations.NullMarked;

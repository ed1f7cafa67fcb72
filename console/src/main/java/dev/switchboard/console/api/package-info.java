/**
 * Calls to the public API through the gateway with the signed-in user's token, and its
 * problem details.
 */
@NullMarked
package dev.switchboard.console.api;

import org.jspecify.annotations.NullMarked;

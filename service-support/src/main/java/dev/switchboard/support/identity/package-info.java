/**
 * The internal identity token: every service verifies the short-lived JWS the gateway
 * signs for each request it routes, and answers 401 to anything else.
 */
@NullMarked
package dev.switchboard.support.identity;

import org.jspecify.annotations.NullMarked;

/**
 * Service levels per agent and team: first response, replies within the window, expiries.
 */
@NullMarked
package dev.switchboard.routing.report;

import org.jspecify.annotations.NullMarked;

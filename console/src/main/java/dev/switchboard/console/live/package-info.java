/**
 * Live updates: the platform's Kafka events, scoped to each browser's tenant and roles,
 * pushed as server-sent events carrying only kinds and ids.
 */
@NullMarked
package dev.switchboard.console.live;

import org.jspecify.annotations.NullMarked;

/**
 * Limits that hold across every replica of a service: Bucket4j token buckets kept in a
 * table of the service's own schema.
 */
@NullMarked
package dev.switchboard.support.ratelimit;

import org.jspecify.annotations.NullMarked;

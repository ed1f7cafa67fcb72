/**
 * What every Switchboard service needs to exchange events reliably: a transactional
 * outbox with its relay to Kafka, and idempotent event consumption.
 */
@NullMarked
package dev.switchboard.support;

import org.jspecify.annotations.NullMarked;

/**
 * The one-command local start: a real Kafka broker, the database and the five services.
 */
@NullMarked
package dev.switchboard.local;

import org.jspecify.annotations.NullMarked;

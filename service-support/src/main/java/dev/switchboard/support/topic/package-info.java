/**
 * The platform's Kafka topics as every service creates them when they are missing.
 */
@NullMarked
package dev.switchboard.support.topic;

import org.jspecify.annotations.NullMarked;

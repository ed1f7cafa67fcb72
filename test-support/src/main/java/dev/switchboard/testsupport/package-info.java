/**
 * Real infrastructure for integration tests: one Kafka broker and one fresh PostgreSQL
 * database per test JVM, from Testcontainers when a Docker engine answers and in-JVM
 * otherwise.
 */
@NullMarked
package dev.switchboard.testsupport;

import org.jspecify.annotations.NullMarked;

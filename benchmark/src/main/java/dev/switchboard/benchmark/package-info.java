/**
 * The benchmark harness and the fault suite: the whole platform on this machine, an
 * open-model load of signed WhatsApp webhooks, Kafka's own producer perf test, and a
 * reconciliation of what was acknowledged against what is stored.
 */
@NullMarked
package dev.switchboard.benchmark;

import org.jspecify.annotations.NullMarked;

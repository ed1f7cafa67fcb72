/**
 * Who answers each conversation: automatic assignment by the team's strategy, the queue,
 * re-queueing when an agent goes offline, manual assignment, transfer, taking and
 * escalation.
 */
@NullMarked
package dev.switchboard.routing.assignment;

import org.jspecify.annotations.NullMarked;

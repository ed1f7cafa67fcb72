/**
 * Agents (presence, capacity, skills), teams with their assignment strategy, and the
 * rules that send a new conversation to a team.
 */
@NullMarked
package dev.switchboard.routing.team;

import org.jspecify.annotations.NullMarked;

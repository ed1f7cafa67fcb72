/**
 * Owners' and admins' team page: teams, agents, routing rules, service levels.
 */
@NullMarked
package dev.switchboard.console.team;

import org.jspecify.annotations.NullMarked;

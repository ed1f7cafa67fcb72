/**
 * The agent's inbox: mine, unassigned and all conversations, with filters and unread
 * counts.
 */
@NullMarked
package dev.switchboard.console.inbox;

import org.jspecify.annotations.NullMarked;

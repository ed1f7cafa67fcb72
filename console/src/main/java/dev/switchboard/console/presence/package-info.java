/**
 * The agent's presence (online, away, offline), which routing assigns by.
 */
@NullMarked
package dev.switchboard.console.presence;

import org.jspecify.annotations.NullMarked;

/**
 * One conversation: history with ticks, the 24-hour window, the composer, labels, status
 * and assignment.
 */
@NullMarked
package dev.switchboard.console.conversation;

import org.jspecify.annotations.NullMarked;

/** Saved replies an agent calls with {@code /shortcut}. */
@NullMarked
package dev.switchboard.inbox.quickreply;

import org.jspecify.annotations.NullMarked;

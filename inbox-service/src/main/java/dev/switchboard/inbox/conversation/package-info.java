@NullMarked
package dev.switchboard.inbox.conversation;

import org.jspecify.annotations.NullMarked;

@NullMarked
package dev.switchboard.support.outbox;

import org.jspecify.annotations.NullMarked;

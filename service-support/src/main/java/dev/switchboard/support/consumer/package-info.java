@NullMarked
package dev.switchboard.support.consumer;

import org.jspecify.annotations.NullMarked;

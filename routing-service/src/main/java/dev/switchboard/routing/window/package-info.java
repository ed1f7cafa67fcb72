@NullMarked
package dev.switchboard.routing.window;

import org.jspecify.annotations.NullMarked;

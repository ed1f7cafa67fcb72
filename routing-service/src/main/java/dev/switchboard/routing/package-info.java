/** Routing: assignment of conversations and the 24-hour customer-service window. */
@NullMarked
package dev.switchboard.routing;

import org.jspecify.annotations.NullMarked;

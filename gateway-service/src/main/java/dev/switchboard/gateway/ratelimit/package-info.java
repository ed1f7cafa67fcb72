@NullMarked
package dev.switchboard.gateway.ratelimit;

import org.jspecify.annotations.NullMarked;

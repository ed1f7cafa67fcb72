@NullMarked
package dev.switchboard.gateway.fallback;

import org.jspecify.annotations.NullMarked;

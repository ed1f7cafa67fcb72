@NullMarked
package dev.switchboard.gateway.idempotency;

import org.jspecify.annotations.NullMarked;

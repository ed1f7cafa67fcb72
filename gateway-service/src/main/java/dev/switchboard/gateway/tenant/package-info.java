@NullMarked
package dev.switchboard.gateway.tenant;

import org.jspecify.annotations.NullMarked;

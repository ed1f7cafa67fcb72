@NullMarked
package dev.switchboard.gateway.devtoken;

import org.jspecify.annotations.NullMarked;

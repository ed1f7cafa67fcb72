@NullMarked
package dev.switchboard.gateway.security;

import org.jspecify.annotations.NullMarked;

@NullMarked
package dev.switchboard.gateway.apikey;

import org.jspecify.annotations.NullMarked;

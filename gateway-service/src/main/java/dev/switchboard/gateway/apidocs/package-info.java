@NullMarked
package dev.switchboard.gateway.apidocs;

import org.jspecify.annotations.NullMarked;

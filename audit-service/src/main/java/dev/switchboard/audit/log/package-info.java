@NullMarked
package dev.switchboard.audit.log;

import org.jspecify.annotations.NullMarked;

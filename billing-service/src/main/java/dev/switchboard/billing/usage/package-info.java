@NullMarked
package dev.switchboard.billing.usage;

import org.jspecify.annotations.NullMarked;

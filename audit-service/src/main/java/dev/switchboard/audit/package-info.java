/** Audit: device registry, attribution and the append-only, tamper-evident log. */
@NullMarked
package dev.switchboard.audit;

import org.jspecify.annotations.NullMarked;

/** Cross-cutting configuration of the audit service. */
@NullMarked
package dev.switchboard.audit.config;

import org.jspecify.annotations.NullMarked;

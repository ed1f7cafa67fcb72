/** The offline verifier of the audit log. */
@NullMarked
package dev.switchboard.audit.cli;

import org.jspecify.annotations.NullMarked;

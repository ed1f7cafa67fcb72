/**
 * Checkpoints of the audit log kept outside PostgreSQL: the C2SP signed-note and
 * tlog-checkpoint formats, and the witnesses that store them (an append-only directory,
 * an HTTP witness).
 */
@NullMarked
package dev.switchboard.audit.witness;

import org.jspecify.annotations.NullMarked;

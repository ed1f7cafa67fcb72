package dev.switchboard.audit.witness;

import java.io.IOException;

/**
 * A witness already holds a different checkpoint for the same log and tree size: the log
 * was forked or rewritten, or its signing key changed under the same origin.
 */
public class CheckpointConflictException extends IOException {

	private static final long serialVersionUID = 1L;

	public CheckpointConflictException(String message) {
		super(message);
	}

}

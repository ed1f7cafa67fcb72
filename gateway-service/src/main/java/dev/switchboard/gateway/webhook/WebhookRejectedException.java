package dev.switchboard.gateway.webhook;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/** A webhook the gateway refused: nothing of it was published. */
class WebhookRejectedException extends ResponseStatusException {

	private final String reason;

	WebhookRejectedException(HttpStatus status, String reason, String detail) {
		super(status, detail);
		this.reason = reason;
	}

	/** The low-cardinality reason, the tag of the rejection metric. */
	String rejectionReason() {
		return this.reason;
	}

}

package dev.switchboard.inbox.integration;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import dev.switchboard.support.web.ProblemTypes;

/**
 * A subscription refused before anything is stored, as a problem detail (400 unless said
 * otherwise) whose {@code reason} says what to fix.
 */
class SubscriptionRejected extends ErrorResponseException {

	private final String reason;

	SubscriptionRejected(String reason, String detail) {
		this(HttpStatus.BAD_REQUEST, reason, detail);
	}

	SubscriptionRejected(HttpStatus status, String reason, String detail) {
		super(status, problem(status, reason, detail), null);
		this.reason = reason;
	}

	String reason() {
		return this.reason;
	}

	private static ProblemDetail problem(HttpStatus status, String reason, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(ProblemTypes.of(reason));
		problem.setTitle("Webhook subscription refused");
		problem.setProperty("reason", reason);
		return problem;
	}

}

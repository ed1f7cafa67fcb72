package dev.switchboard.inbox.integration;

import java.net.URI;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A subscription refused before anything is stored, as a 400 problem detail whose
 * {@code reason} says what to fix.
 */
class SubscriptionRejected extends ErrorResponseException {

	private final String reason;

	SubscriptionRejected(String reason, String detail) {
		super(HttpStatus.BAD_REQUEST, problem(reason, detail), null);
		this.reason = reason;
	}

	String reason() {
		return this.reason;
	}

	private static ProblemDetail problem(String reason, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
		problem.setType(URI.create("https://switchboard.dev/problems/" + reason));
		problem.setTitle("Webhook subscription refused");
		problem.setProperty("reason", reason);
		return problem;
	}

}

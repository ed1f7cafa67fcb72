package dev.switchboard.inbox.outbound;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import dev.switchboard.support.web.ProblemTypes;

/**
 * A send the rules refuse before anything is stored or sent, as a problem detail whose
 * {@code reason} tells the client what to do.
 */
class SendRefused extends ErrorResponseException {

	private final String reason;

	SendRefused(HttpStatus status, String reason, String detail) {
		super(status, problem(status, reason, detail), null);
		this.reason = reason;
	}

	String reason() {
		return this.reason;
	}

	private static ProblemDetail problem(HttpStatus status, String reason, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(ProblemTypes.of(reason));
		problem.setTitle("Sending refused");
		problem.setProperty("reason", reason);
		return problem;
	}

}

package dev.switchboard.audit.web;

import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

import dev.switchboard.support.web.ProblemTypes;

/**
 * Refuses a request with an RFC 9457 problem detail and counts it in
 * {@code switchboard_audit_requests_rejected_total{reason}}. A refused request stores
 * nothing.
 */
@Component
public class Refusals {

	private final MeterRegistry meters;

	Refusals(MeterRegistry meters) {
		this.meters = meters;
	}

	/**
	 * A refusal to throw.
	 * @param status the 4xx status
	 * @param reason short machine-readable reason; the problem type's last segment and
	 * the counter's tag
	 * @param title the problem's title
	 * @param detail what was wrong and what to do
	 * @return the exception
	 */
	public ErrorResponseException refuse(HttpStatus status, String reason, String title, String detail) {
		return refuse(status, reason, title, detail, Map.of());
	}

	/**
	 * A refusal to throw, with extension members.
	 * @param status the 4xx status
	 * @param reason short machine-readable reason
	 * @param title the problem's title
	 * @param detail what was wrong and what to do
	 * @param properties extension members of the problem
	 * @return the exception
	 */
	public ErrorResponseException refuse(HttpStatus status, String reason, String title, String detail,
			Map<String, Object> properties) {
		this.meters.counter("switchboard.audit.requests.rejected", "reason", reason).increment();
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(ProblemTypes.of(reason));
		problem.setTitle(title);
		properties.forEach(problem::setProperty);
		return new ErrorResponseException(status, problem, null);
	}

	/**
	 * The standard refusal of a page size outside 1..100.
	 * @param limit the requested size
	 * @return the size
	 */
	public int limit(int limit) {
		if (limit < 1 || limit > 100) {
			throw refuse(HttpStatus.BAD_REQUEST, "bad-limit", "Bad page size", "limit must be between 1 and 100");
		}
		return limit;
	}

	/**
	 * The refusal of a cursor this API did not hand out.
	 * @return the exception
	 */
	public ErrorResponseException badCursor() {
		return refuse(HttpStatus.BAD_REQUEST, "bad-cursor", "Bad cursor",
				"The cursor is not one this API returned; pass nextCursor unchanged");
	}

}

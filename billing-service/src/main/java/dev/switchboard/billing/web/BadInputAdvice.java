package dev.switchboard.billing.web;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ServerWebInputException;

/**
 * Counts requests the framework refuses before a controller runs (unreadable JSON, a path
 * variable that is not a number) in {@code switchboard_billing_rejected_total} and
 * answers them as problem details.
 */
@RestControllerAdvice(basePackages = "dev.switchboard.billing")
class BadInputAdvice {

	private final MeterRegistry meters;

	BadInputAdvice(MeterRegistry meters) {
		this.meters = meters;
	}

	@ExceptionHandler(ServerWebInputException.class)
	ResponseEntity<ProblemDetail> badInput(ServerWebInputException ex) {
		this.meters.counter("switchboard.billing.rejected", "reason", "unreadable-input").increment();
		return ResponseEntity.status(ex.getStatusCode())
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(ex.getBody());
	}

}

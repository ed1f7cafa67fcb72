package dev.switchboard.billing.web;

import java.time.YearMonth;
import java.time.format.DateTimeParseException;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;

/**
 * Refuses bad input with a 400 problem detail and counts it in
 * {@code switchboard_billing_rejected_total{reason}}. Nothing is stored for a refused
 * request.
 */
@Component
public class Rejections {

	private final MeterRegistry meters;

	Rejections(MeterRegistry meters) {
		this.meters = meters;
	}

	/**
	 * Counts a refusal and returns the exception to throw.
	 * @param reason a short, bounded tag (the field or rule)
	 * @param detail the explanation for the caller
	 * @return a 400 to throw
	 */
	public ResponseStatusException reject(String reason, String detail) {
		return reject(HttpStatus.BAD_REQUEST, reason, detail);
	}

	/**
	 * Counts a refusal with another 4xx and returns the exception to throw.
	 * @param status the status
	 * @param reason a short, bounded tag
	 * @param detail the explanation
	 * @return the exception
	 */
	public ResponseStatusException reject(HttpStatus status, String reason, String detail) {
		this.meters.counter("switchboard.billing.rejected", "reason", reason).increment();
		return new ResponseStatusException(status, detail);
	}

	/**
	 * Reads a month as {@code YYYY-MM}.
	 * @param month the text
	 * @return the month
	 */
	public YearMonth month(String month) {
		try {
			return YearMonth.parse(month);
		}
		catch (DateTimeParseException ex) {
			throw reject("month", "month must be YYYY-MM, e.g. 2026-10");
		}
	}

}

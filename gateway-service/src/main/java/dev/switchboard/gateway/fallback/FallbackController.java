package dev.switchboard.gateway.fallback;

import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Where a route's circuit breaker sends a call the service could not answer (down, too
 * slow, or its circuit open): 503 problem details instead of a hanging or raw error.
 */
@RestController
@Hidden
class FallbackController {

	private final MeterRegistry meters;

	FallbackController(MeterRegistry meters) {
		this.meters = meters;
	}

	@RequestMapping("/fallback/{service}")
	void unavailable(@PathVariable String service) {
		this.meters.counter("switchboard.gateway.downstream.unavailable", "service", service).increment();
		throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE,
				service + " is unavailable right now; retry shortly");
	}

}

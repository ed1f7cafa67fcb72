package dev.switchboard.support.web;

import java.net.URI;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.server.WebExceptionHandler;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.ErrorResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Renders every error that reaches the web layer's edge (unknown paths, filters, the
 * gateway's routing) as RFC 9457 {@code application/problem+json}, like the errors
 * controllers raise. An unexpected exception answers 500 without its internals, which go
 * to the log.
 */
public class ProblemDetailsErrorHandler implements WebExceptionHandler, Ordered {

	private static final Logger logger = LoggerFactory.getLogger(ProblemDetailsErrorHandler.class);

	private final JsonMapper json;

	public ProblemDetailsErrorHandler(JsonMapper json) {
		this.json = json;
	}

	@Override
	public int getOrder() {
		// Before Boot's DefaultErrorWebExceptionHandler (-1).
		return -2;
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
		ServerHttpResponse response = exchange.getResponse();
		if (response.isCommitted()) {
			return Mono.error(ex);
		}
		ProblemDetail problem = problemFor(ex);
		problem.setInstance(URI.create(exchange.getRequest().getPath().value()));
		response.setStatusCode(HttpStatusCode.valueOf(problem.getStatus()));
		if (ex instanceof ErrorResponse errorResponse) {
			errorResponse.getHeaders().forEach((name, values) -> response.getHeaders().put(name, values));
		}
		response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		byte[] body = this.json.writeValueAsBytes(problem);
		return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
	}

	private static ProblemDetail problemFor(Throwable ex) {
		if (ex instanceof ErrorResponse errorResponse) {
			ProblemDetail problem = errorResponse.getBody();
			if (problem.getDetail() == null) {
				HttpStatus status = HttpStatus.resolve(problem.getStatus());
				problem.setDetail((status != null) ? status.getReasonPhrase() : "Error " + problem.getStatus());
			}
			return problem;
		}
		logger.error("Unexpected error", ex);
		return ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
				"An unexpected error occurred; it has been logged");
	}

}

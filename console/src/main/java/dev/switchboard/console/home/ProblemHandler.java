package dev.switchboard.console.home;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import dev.switchboard.console.api.ApiProblem;
import dev.switchboard.console.api.ApiUnauthorized;
import dev.switchboard.console.signin.SignInAgain;

/**
 * How the API's answers other than success reach the user. A refusal (window closed,
 * device not registered, plan limit, not opted in) is shown inline in the API's words:
 * for htmx the answer replaces only the page's message area ({@code HX-Retarget}), so a
 * composer keeps its text. An unaccepted token sends the user through sign-in and back.
 */
@ControllerAdvice
class ProblemHandler {

	static final String PROBLEM_AREA = "#problem";

	private final SignInAgain signInAgain;

	private final MeterRegistry meters;

	ProblemHandler(SignInAgain signInAgain, MeterRegistry meters) {
		this.signInAgain = signInAgain;
		this.meters = meters;
	}

	@ExceptionHandler(ApiProblem.class)
	String problem(ApiProblem problem, Model model, ServerWebExchange exchange) {
		this.meters.counter("console.api.refusals", "status", Integer.toString(problem.status())).increment();
		model.addAttribute("problem", problem);
		if ("true".equals(exchange.getRequest().getHeaders().getFirst(SignInAgain.HX_REQUEST))) {
			// htmx swaps only 2xx answers: the refusal is delivered as the message
			// area's content, not as the fragment the request asked for.
			exchange.getResponse().getHeaders().set("HX-Retarget", PROBLEM_AREA);
			exchange.getResponse().getHeaders().set("HX-Reswap", "innerHTML");
			return "fragments/problem :: problem";
		}
		exchange.getResponse().setStatusCode(HttpStatus.valueOf(problem.status()));
		return "problem";
	}

	/**
	 * The console's own refusals of bad input (an empty reply, an unknown status), shown
	 * like the API's.
	 */
	@ExceptionHandler(ResponseStatusException.class)
	String refused(ResponseStatusException ex, Model model, ServerWebExchange exchange) {
		return problem(new ApiProblem(ex.getStatusCode().value(), null, String.valueOf(ex.getReason()), null), model,
				exchange);
	}

	@ExceptionHandler(ApiUnauthorized.class)
	Mono<Void> unauthorized(ApiUnauthorized ex, ServerWebExchange exchange) {
		// Signing in again replaces the session's tokens (and its id).
		return this.signInAgain.start(exchange);
	}

}

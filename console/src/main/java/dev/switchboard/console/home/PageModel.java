package dev.switchboard.console.home;

import java.util.List;
import java.util.Locale;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.reactive.result.view.CsrfRequestDataValueProcessor;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import dev.switchboard.console.config.ConsoleProperties;
import dev.switchboard.console.language.Languages;
import dev.switchboard.console.signin.ConsoleUser;

/** The model every page's layout reads. */
@ControllerAdvice
class PageModel {

	private final ConsoleProperties properties;

	PageModel(ConsoleProperties properties) {
		this.properties = properties;
	}

	/**
	 * The signed-in user, if any.
	 * @return the user, or empty on the public pages
	 */
	@ModelAttribute("user")
	Mono<ConsoleUser> user() {
		return ReactiveSecurityContextHolder.getContext()
			.mapNotNull(SecurityContext::getAuthentication)
			.map(Authentication::getPrincipal)
			.ofType(OidcUser.class)
			.map((oidc) -> ConsoleUser.of(oidc, this.properties.oidc()));
	}

	/**
	 * The session's CSRF token, for the layout's meta tag (which the console's script
	 * sends as a header on htmx requests) and the forms' hidden field.
	 * @param exchange the request
	 * @return the token
	 */
	@ModelAttribute("_csrf")
	Mono<CsrfToken> csrf(ServerWebExchange exchange) {
		Mono<CsrfToken> token = exchange.getAttribute(CsrfToken.class.getName());
		return (token != null) ? token.doOnSuccess((resolved) -> exchange.getAttributes()
			.put(CsrfRequestDataValueProcessor.DEFAULT_CSRF_ATTR_NAME, resolved)) : Mono.empty();
	}

	@ModelAttribute("languages")
	List<Locale> languages() {
		return Languages.SUPPORTED;
	}

	/** The page's path and query, where the language switch returns to. */
	@ModelAttribute("here")
	String here(ServerWebExchange exchange) {
		String query = exchange.getRequest().getURI().getRawQuery();
		return exchange.getRequest().getPath().value() + ((query != null) ? "?" + query : "");
	}

}

package dev.switchboard.console.signin;

import java.net.URI;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.server.DefaultServerRedirectStrategy;
import org.springframework.security.web.server.ServerRedirectStrategy;
import org.springframework.security.web.server.savedrequest.WebSessionServerRequestCache;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/**
 * Sends a user without a valid session back through sign-in and, afterwards, to the page
 * they were on. A page request is redirected; an htmx request (a fragment of a page) gets
 * {@code HX-Redirect}, and the page it came from ({@code HX-Current-URL}) is what the
 * user returns to, not the fragment.
 */
public final class SignInAgain {

	/** htmx marks its requests with this header. */
	public static final String HX_REQUEST = "HX-Request";

	static final String HX_CURRENT_URL = "HX-Current-URL";

	static final String HX_REDIRECT = "HX-Redirect";

	private final String signInPath;

	// Same session attribute as the default cache that the sign-in's success handler
	// reads, but saving any request: the page an htmx request came from.
	private final WebSessionServerRequestCache pages = new WebSessionServerRequestCache();

	private final ServerRedirectStrategy redirects = new DefaultServerRedirectStrategy();

	SignInAgain(String registrationId) {
		this.signInPath = "/oauth2/authorization/" + registrationId;
		this.pages.setSaveRequestMatcher(ServerWebExchangeMatchers.anyExchange());
	}

	/**
	 * Starts sign-in, remembering where the user was.
	 * @param exchange the request that needed a session
	 * @return when the answer is written
	 */
	public Mono<Void> start(ServerWebExchange exchange) {
		boolean htmx = "true".equals(exchange.getRequest().getHeaders().getFirst(HX_REQUEST));
		ServerWebExchange page = htmx ? pageOf(exchange) : exchange;
		boolean remember = htmx || exchange.getRequest().getMethod().matches("GET");
		Mono<Void> saved = remember ? this.pages.saveRequest(page) : Mono.empty();
		if (htmx) {
			return saved.then(Mono.fromRunnable(() -> {
				exchange.getResponse().setStatusCode(HttpStatus.UNAUTHORIZED);
				exchange.getResponse().getHeaders().set(HX_REDIRECT, this.signInPath);
			}));
		}
		return saved.then(this.redirects.sendRedirect(exchange, URI.create(this.signInPath)));
	}

	/**
	 * The page an htmx request came from, as a request on this origin: only its path and
	 * query are kept, so the header cannot send the user elsewhere.
	 */
	static ServerWebExchange pageOf(ServerWebExchange exchange) {
		String current = exchange.getRequest().getHeaders().getFirst(HX_CURRENT_URL);
		URI page;
		try {
			page = (current != null) ? URI.create(current) : URI.create("/console");
		}
		catch (IllegalArgumentException ex) {
			page = URI.create("/console");
		}
		String path = (page.getRawPath() != null && page.getRawPath().startsWith("/")) ? page.getRawPath() : "/console";
		URI local = UriComponentsBuilder.fromUri(exchange.getRequest().getURI())
			.replacePath(path)
			.replaceQuery(page.getRawQuery())
			.build(true)
			.toUri();
		return exchange.mutate()
			.request((request) -> request.method(org.springframework.http.HttpMethod.GET)
				.uri(local)
				.headers((headers) -> headers.remove(HttpHeaders.ACCEPT)))
			.build();
	}

}

package dev.switchboard.console.config;

import java.net.URI;

import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/**
 * Sends a page asked for under another address of the gateway (http://localhost:8080) to
 * the console's public address (http://127.0.0.1:8080): the provider accepts only that
 * redirect URI, and the session cookie must belong to the origin the sign-in returns to.
 * The gateway passes the browser's {@code Host} on ({@code PreserveHostHeader}).
 */
@Component
class CanonicalAddress implements WebFilter, Ordered {

	private final ConsoleProperties properties;

	CanonicalAddress(ConsoleProperties properties) {
		this.properties = properties;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		URI canonical = this.properties.publicUri();
		URI requested = exchange.getRequest().getURI();
		// The actuator (its own port, reached by probes and Prometheus inside the
		// network)
		// is not a page.
		if (canonical == null || !HttpMethod.GET.equals(exchange.getRequest().getMethod())
				|| exchange.getRequest().getPath().value().startsWith("/actuator")
				|| sameOrigin(canonical, requested)) {
			return chain.filter(exchange);
		}
		URI target = UriComponentsBuilder.fromUri(canonical)
			.replacePath(requested.getRawPath())
			.replaceQuery(requested.getRawQuery())
			.build(true)
			.toUri();
		exchange.getResponse().setStatusCode(HttpStatus.TEMPORARY_REDIRECT);
		exchange.getResponse().getHeaders().setLocation(target);
		return exchange.getResponse().setComplete();
	}

	/**
	 * Whether a request came for the public address: the same host and port as the
	 * browser named them ({@code Host}, which the gateway preserves). The scheme is not
	 * compared: TLS ends before the console.
	 */
	static boolean sameOrigin(URI canonical, URI requested) {
		return String.valueOf(canonical.getRawAuthority())
			.equalsIgnoreCase(String.valueOf(requested.getRawAuthority()));
	}

}

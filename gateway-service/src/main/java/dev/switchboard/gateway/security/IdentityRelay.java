package dev.switchboard.gateway.security;

import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Speaks for the caller to the services: every routed request loses the client's
 * {@code Authorization} and {@code X-Api-Key} and carries instead an internal identity
 * token for the verified caller, with the route's service as audience (route metadata
 * {@code audience}). {@code X-Device-Id} travels on unchanged.
 */
@Component
class IdentityRelay implements GlobalFilter, Ordered {

	/** The route metadata naming the service a route leads to. */
	static final String AUDIENCE = "audience";

	private static final Logger logger = LoggerFactory.getLogger(IdentityRelay.class);

	private final InternalTokenIssuer issuer;

	IdentityRelay(InternalTokenIssuer issuer) {
		this.issuer = issuer;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		String audience = audience(exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR));
		return ReactiveSecurityContextHolder.getContext()
			.map(SecurityContext::getAuthentication)
			.filter((authentication) -> authentication.getPrincipal() instanceof Identity)
			.map((authentication) -> (Identity) authentication.getPrincipal())
			.map((identity) -> (audience != null) ? this.issuer.issue(identity, audience) : "")
			.defaultIfEmpty("")
			.map((token) -> exchange.mutate().request(relayed(exchange.getRequest(), token)).build())
			.flatMap(chain::filter);
	}

	/** The client's credentials stay at the gateway; the service gets the token. */
	private static ServerHttpRequest relayed(ServerHttpRequest request, String token) {
		return request.mutate().headers((headers) -> {
			headers.remove(HttpHeaders.AUTHORIZATION);
			headers.remove(SecurityConfiguration.API_KEY_HEADER);
			if (!token.isEmpty()) {
				headers.setBearerAuth(token);
			}
		}).build();
	}

	/**
	 * The service a route leads to: its {@code audience} metadata, else the route id's
	 * first word plus {@code -service} ({@code routing-window} →
	 * {@code routing-service}).
	 */
	static @Nullable String audience(@Nullable Route route) {
		if (route == null) {
			return null;
		}
		Map<String, Object> metadata = route.getMetadata();
		Object audience = metadata.get(AUDIENCE);
		if (audience instanceof String name && !name.isBlank()) {
			return name;
		}
		String id = route.getId();
		int dash = id.indexOf('-');
		String derived = ((dash > 0) ? id.substring(0, dash) : id) + "-service";
		logger.debug("Route {} has no audience metadata; using {}", id, derived);
		return derived;
	}

}

package dev.switchboard.gateway.security;

import java.util.stream.Collectors;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import dev.switchboard.events.IdentityHeaders;
import dev.switchboard.events.Role;

/**
 * The services trust the identity headers, so only the gateway may set them: it drops any
 * a client sent (first thing, for every request) and sets them from the verified caller
 * on every request it routes. {@code X-Device-Id} travels on unchanged.
 */
@Component
class IdentityRelay implements GlobalFilter, WebFilter, Ordered {

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	/** Strips client-sent identity headers before anything else sees the request. */
	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (!hasIdentityHeaders(exchange.getRequest())) {
			return chain.filter(exchange);
		}
		ServerHttpRequest stripped = exchange.getRequest().mutate().headers((headers) -> {
			headers.remove(IdentityHeaders.TENANT);
			headers.remove(IdentityHeaders.SUBJECT);
			headers.remove(IdentityHeaders.ROLES);
		}).build();
		return chain.filter(exchange.mutate().request(stripped).build());
	}

	/** Sets the identity headers on a routed request from the verified caller. */
	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		return ReactiveSecurityContextHolder.getContext()
			.map(SecurityContext::getAuthentication)
			.filter((authentication) -> authentication.getPrincipal() instanceof Identity)
			.map((authentication) -> (Identity) authentication.getPrincipal())
			.map((identity) -> exchange.mutate().request(withIdentity(exchange.getRequest(), identity)).build())
			.defaultIfEmpty(exchange)
			.flatMap(chain::filter);
	}

	private static ServerHttpRequest withIdentity(ServerHttpRequest request, Identity identity) {
		return request.mutate().headers((headers) -> {
			headers.set(IdentityHeaders.TENANT, identity.tenantId());
			headers.set(IdentityHeaders.SUBJECT, identity.subject());
			headers.set(IdentityHeaders.ROLES,
					identity.roles().stream().map(Role::name).sorted().collect(Collectors.joining(",")));
		}).build();
	}

	private static boolean hasIdentityHeaders(ServerHttpRequest request) {
		return request.getHeaders().containsHeader(IdentityHeaders.TENANT)
				|| request.getHeaders().containsHeader(IdentityHeaders.SUBJECT)
				|| request.getHeaders().containsHeader(IdentityHeaders.ROLES);
	}

}

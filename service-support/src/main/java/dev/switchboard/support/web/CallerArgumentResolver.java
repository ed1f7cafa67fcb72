package dev.switchboard.support.web;

import java.util.EnumSet;
import java.util.Set;

import org.springframework.core.MethodParameter;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.reactive.BindingContext;
import org.springframework.web.reactive.result.method.HandlerMethodArgumentResolver;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import dev.switchboard.events.Role;
import dev.switchboard.support.identity.InternalTokens;

/**
 * Resolves {@link Caller} parameters from the verified internal identity token (the
 * security chain of {@code InternalIdentityAutoConfiguration} checked it and mapped its
 * roles). A request without one did not come through the gateway: 401.
 */
public class CallerArgumentResolver implements HandlerMethodArgumentResolver {

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return Caller.class.equals(parameter.getParameterType());
	}

	@Override
	public Mono<Object> resolveArgument(MethodParameter parameter, BindingContext context, ServerWebExchange exchange) {
		return exchange.getPrincipal()
			.filter(JwtAuthenticationToken.class::isInstance)
			.map((principal) -> (Object) from((JwtAuthenticationToken) principal))
			.switchIfEmpty(Mono.error(() -> new ResponseStatusException(HttpStatus.UNAUTHORIZED,
					"No verified identity: call the API through the gateway with a bearer token or API key")));
	}

	static Caller from(JwtAuthenticationToken authentication) {
		Jwt jwt = authentication.getToken();
		Set<Role> roles = EnumSet.noneOf(Role.class);
		for (GrantedAuthority authority : authentication.getAuthorities()) {
			String name = authority.getAuthority();
			if (name != null && name.startsWith("ROLE_")) {
				roles.add(Role.valueOf(name.substring("ROLE_".length())));
			}
		}
		return new Caller(jwt.getClaimAsString(InternalTokens.TENANT), jwt.getSubject(), roles,
				jwt.getClaimAsString(InternalTokens.API_KEY));
	}

}

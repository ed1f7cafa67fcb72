package dev.switchboard.support.web;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.BindingContext;
import org.springframework.web.reactive.result.method.HandlerMethodArgumentResolver;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import dev.switchboard.events.IdentityHeaders;
import dev.switchboard.events.Role;

/**
 * Resolves {@link Caller} parameters from the identity headers the gateway sets. A
 * request without them did not come through the gateway: 401.
 */
public class CallerArgumentResolver implements HandlerMethodArgumentResolver {

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return Caller.class.equals(parameter.getParameterType());
	}

	@Override
	public Mono<Object> resolveArgument(MethodParameter parameter, BindingContext context, ServerWebExchange exchange) {
		return Mono.fromCallable(() -> from(exchange.getRequest().getHeaders()));
	}

	static Caller from(HttpHeaders headers) {
		String tenant = headers.getFirst(IdentityHeaders.TENANT);
		String subject = headers.getFirst(IdentityHeaders.SUBJECT);
		if (tenant == null || tenant.isBlank() || subject == null || subject.isBlank()) {
			throw new ResponseStatusException(HttpStatus.UNAUTHORIZED,
					"No verified identity: call the API through the gateway with a bearer token or API key");
		}
		Set<Role> roles = EnumSet.noneOf(Role.class);
		String header = headers.getFirst(IdentityHeaders.ROLES);
		if (header != null) {
			for (String role : header.split(",")) {
				if (!role.isBlank()) {
					try {
						roles.add(Role.valueOf(role.trim().toUpperCase(Locale.ROOT)));
					}
					catch (IllegalArgumentException ex) {
						// A role this service does not know grants nothing here.
					}
				}
			}
		}
		return new Caller(tenant, subject, roles);
	}

}

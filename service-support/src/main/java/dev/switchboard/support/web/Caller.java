package dev.switchboard.support.web;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

import dev.switchboard.events.Role;

/**
 * Who is calling, as the gateway verified it and vouched for in the internal identity
 * token this service verified. Declare it as a controller method parameter; every read
 * and write is scoped to {@link #tenantId()}, never to an id from the path or body.
 *
 * @param tenantId the caller's tenant
 * @param subject the user or API key
 * @param roles the caller's roles
 * @param apiKeyId the API key that authenticated the call, if one did
 */
public record Caller(String tenantId, String subject, Set<Role> roles, @Nullable String apiKeyId) {

	public Caller {
		roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
	}

	public Caller(String tenantId, String subject, Set<Role> roles) {
		this(tenantId, subject, roles, null);
	}

	public boolean hasAny(Role... wanted) {
		return Arrays.stream(wanted).anyMatch(this.roles::contains);
	}

	/**
	 * Refuses the call with 403 unless the caller has one of the roles.
	 * @param wanted the roles that may call
	 * @return this caller
	 */
	public Caller requireAny(Role... wanted) {
		if (!hasAny(wanted)) {
			throw new ResponseStatusException(HttpStatus.FORBIDDEN,
					"This needs the role " + Arrays.stream(wanted).map(Role::name).collect(Collectors.joining(" or ")));
		}
		return this;
	}

}

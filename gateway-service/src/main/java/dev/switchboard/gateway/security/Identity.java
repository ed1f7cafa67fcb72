package dev.switchboard.gateway.security;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

import dev.switchboard.events.Role;

/**
 * A verified caller: from a bearer token or an API key.
 *
 * @param tenantId the tenant
 * @param subject the user, or {@code api-key:<id>}
 * @param roles the roles
 * @param apiKeyId the API key that authenticated the call, if one did
 */
public record Identity(String tenantId, String subject, Set<Role> roles, @Nullable String apiKeyId) {

	public Identity {
		roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
	}

	public boolean hasAny(Role... wanted) {
		return Arrays.stream(wanted).anyMatch(this.roles::contains);
	}

	/**
	 * This identity without the platform roles (SRE, OPERATOR) it may not hold: only a
	 * user of the platform tenant holds them, never an API key.
	 * @param platformTenant the platform's own tenant
	 * @return the identity with the roles it may hold
	 */
	public Identity withPlatformRolesOnlyFor(String platformTenant) {
		if (this.tenantId.equals(platformTenant) && this.apiKeyId == null) {
			return this;
		}
		Set<Role> kept = EnumSet.noneOf(Role.class);
		this.roles.stream().filter((role) -> !role.isPlatformRole()).forEach(kept::add);
		return (kept.size() == this.roles.size()) ? this
				: new Identity(this.tenantId, this.subject, kept, this.apiKeyId);
	}

	/** The key rate limits count this caller under. */
	public String rateLimitKey() {
		return (this.apiKeyId != null) ? "api-key:" + this.apiKeyId : "tenant:" + this.tenantId;
	}

	Authentication toAuthentication() {
		return new Authentication(this);
	}

	/**
	 * A Spring Security authentication carrying the identity; authorities are
	 * {@code ROLE_<role>}.
	 */
	static final class Authentication extends AbstractAuthenticationToken {

		private final Identity identity;

		Authentication(Identity identity) {
			super(List
				.copyOf(identity.roles().stream().map((role) -> new SimpleGrantedAuthority("ROLE_" + role)).toList()));
			this.identity = identity;
			setAuthenticated(true);
		}

		@Override
		public Object getCredentials() {
			return "";
		}

		@Override
		public Identity getPrincipal() {
			return this.identity;
		}

		@Override
		public String getName() {
			return this.identity.subject();
		}

	}

}

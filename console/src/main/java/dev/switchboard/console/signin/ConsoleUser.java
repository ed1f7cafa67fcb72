package dev.switchboard.console.signin;

import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

import dev.switchboard.console.config.ConsoleProperties;
import dev.switchboard.events.Role;
import dev.switchboard.events.RoleClaims;

/**
 * The signed-in user as the console shows them: what the ID token says. The console uses
 * the roles only to choose what to show and which live events to push; the API decides
 * what the user may read or do.
 *
 * @param subject the user's id (the agent id in the API)
 * @param name what to call them
 * @param tenant their tenant
 * @param roles their roles known to the platform
 */
public record ConsoleUser(String subject, String name, String tenant, Set<Role> roles) {

	/**
	 * Whether the user holds one of the roles.
	 * @param wanted the roles
	 * @return true if any is held
	 */
	public boolean hasAny(Role... wanted) {
		for (Role role : wanted) {
			if (this.roles.contains(role)) {
				return true;
			}
		}
		return false;
	}

	/** Whether the user answers chats (the agent's pages). */
	public boolean isAgent() {
		return hasAny(Role.OWNER, Role.ADMIN, Role.AGENT);
	}

	/**
	 * The user of an OpenID Connect sign-in.
	 * @param user the principal
	 * @param oidc which claims name the tenant and roles
	 * @return the user
	 */
	public static ConsoleUser of(OidcUser user, ConsoleProperties.Oidc oidc) {
		Map<String, Object> claims = user.getClaims();
		Object tenant = claim(claims, oidc.tenantClaim());
		String name = (user.getPreferredUsername() != null) ? user.getPreferredUsername() : user.getSubject();
		return new ConsoleUser(user.getSubject(), name, (tenant != null) ? tenant.toString() : "",
				roles(claim(claims, oidc.rolesClaim())));
	}

	static Set<Role> roles(@Nullable Object value) {
		return RoleClaims.roles(value);
	}

	/** A claim by name, or by a dotted path into nested objects (realm_access.roles). */
	static @Nullable Object claim(Map<String, Object> claims, String path) {
		return RoleClaims.claim(claims, path);
	}

}

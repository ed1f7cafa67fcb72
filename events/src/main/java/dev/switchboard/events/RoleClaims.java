package dev.switchboard.events;

import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * How a token's claims name a caller's roles, read the same way by the gateway (access
 * tokens) and the console (ID tokens): a claim by name or by a dotted path into nested
 * objects (Keycloak's {@code realm_access.roles}), holding a list or a space- or
 * comma-separated string of role names.
 */
public final class RoleClaims {

	private RoleClaims() {
	}

	/**
	 * A claim by name, or by a dotted path into nested objects.
	 * @param claims the token's claims
	 * @param path the claim's name or dotted path
	 * @return the claim's value, or null where there is none
	 */
	public static @Nullable Object claim(Map<String, ?> claims, String path) {
		if (claims.containsKey(path)) {
			return claims.get(path);
		}
		Object current = claims;
		for (String segment : path.split("\\.")) {
			if (!(current instanceof Map<?, ?> map)) {
				return null;
			}
			current = map.get(segment);
		}
		return current;
	}

	/**
	 * The roles a claim's value names; names of other applications' roles (Keycloak's
	 * {@code offline_access}) grant nothing here and are left out.
	 * @param value a list of names or a space- or comma-separated string, or null
	 * @return the roles, case-insensitively
	 */
	public static Set<Role> roles(@Nullable Object value) {
		Set<Role> roles = EnumSet.noneOf(Role.class);
		for (Object name : names(value)) {
			if (!(name instanceof String text)) {
				continue;
			}
			try {
				roles.add(Role.valueOf(text.toUpperCase(Locale.ROOT)));
			}
			catch (IllegalArgumentException ex) {
				// Not one of this platform's roles.
			}
		}
		return roles;
	}

	private static Collection<?> names(@Nullable Object value) {
		if (value instanceof Collection<?> collection) {
			return collection;
		}
		if (value instanceof String text) {
			return List.of(text.split("[\\s,]+"));
		}
		return List.of();
	}

}

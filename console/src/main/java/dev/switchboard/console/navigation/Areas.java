package dev.switchboard.console.navigation;

import dev.switchboard.console.signin.ConsoleUser;
import dev.switchboard.events.Role;

/**
 * Which of the owner's, finance's and SRE's areas the navigation shows: those whose API
 * calls the user's roles may make (docs/security.md). Hiding a link is a courtesy; the
 * API still refuses a user who opens the address.
 *
 * @param manage devices, team, message info, audit, business profile (OWNER, ADMIN)
 * @param finance usage, invoices, late replies (OWNER, FINANCE)
 * @param sre the gateway's health and metrics (the platform's SRE)
 */
public record Areas(boolean manage, boolean finance, boolean sre) {

	/**
	 * The areas of a user.
	 * @param user the signed-in user
	 * @return what the navigation shows
	 */
	public static Areas of(ConsoleUser user) {
		return new Areas(user.hasAny(Role.OWNER, Role.ADMIN), user.hasAny(Role.OWNER, Role.FINANCE),
				user.hasAny(Role.SRE));
	}

}

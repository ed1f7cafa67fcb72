package dev.switchboard.events;

/**
 * What a caller may do. A caller has one or more roles. OWNER, ADMIN, AGENT and FINANCE
 * are a tenant's roles; SRE and OPERATOR are the platform's: the gateway grants them only
 * to callers of the platform tenant, and no API key carries them.
 */
public enum Role {

	/** Owns the account: everything, including message info, audit and finance. */
	OWNER,

	/** Runs the team: agents, devices, routing, message info and audit. */
	ADMIN,

	/** Answers customers. */
	AGENT,

	/** Reads usage and invoices. */
	FINANCE,

	/** Keeps the platform running: metrics and service-level reports (platform role). */
	SRE,

	/** Runs the platform's offer: plans, price lists and rate cards (platform role). */
	OPERATOR;

	/**
	 * Whether only the platform's own users may hold this role.
	 * @return true for SRE and OPERATOR
	 */
	public boolean isPlatformRole() {
		return this == SRE || this == OPERATOR;
	}

}

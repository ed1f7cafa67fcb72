package dev.switchboard.events;

/** What a user of a tenant may do. A caller has one or more roles. */
public enum Role {

	/** Owns the account: everything, including message info, audit and finance. */
	OWNER,

	/** Runs the team: agents, devices, routing, message info and audit. */
	ADMIN,

	/** Answers customers. */
	AGENT,

	/** Reads usage and invoices. */
	FINANCE,

	/** Operates the platform: metrics and admin endpoints. */
	SRE

}

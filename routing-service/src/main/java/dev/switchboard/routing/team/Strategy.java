package dev.switchboard.routing.team;

/** How a team picks the agent for a conversation. */
public enum Strategy {

	/** The next online member with spare capacity after the one who got the last one. */
	ROUND_ROBIN,

	/** The online member with the fewest open conversations (then the longest idle). */
	LEAST_LOADED

}

package dev.switchboard.routing.team;

/** Whether an agent takes new conversations. */
public enum Presence {

	/** Takes new conversations up to their capacity. */
	ONLINE,

	/** Keeps their conversations but takes no new ones. */
	AWAY,

	/** Their open conversations go back to the queue. */
	OFFLINE

}

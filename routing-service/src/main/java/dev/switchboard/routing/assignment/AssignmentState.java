package dev.switchboard.routing.assignment;

/**
 * Where a conversation stands in routing: waiting in its team's queue, with an agent, or
 * resolved (until its customer writes again).
 */
enum AssignmentState {

	QUEUED, ASSIGNED, RESOLVED

}

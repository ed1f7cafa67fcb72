package dev.switchboard.events;

/**
 * An event of the platform. Each event belongs to a tenant and is keyed by the
 * conversation it concerns, so one conversation's events stay in order on one partition.
 */
public sealed interface SwitchboardEvent permits GatewayEvent, InboxEvent, RoutingEvent {

	String tenantId();

	String conversationId();

}

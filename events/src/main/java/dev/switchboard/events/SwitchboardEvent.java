package dev.switchboard.events;

import org.jspecify.annotations.Nullable;

/**
 * An event of the platform. Each event belongs to a tenant and is keyed by the
 * conversation it concerns, so one conversation's events stay in order on one partition.
 * Events about the tenant as a whole (plans, devices) have no conversation and are keyed
 * by the tenant.
 */
public sealed interface SwitchboardEvent permits GatewayEvent, InboxEvent, RoutingEvent, BillingEvent, AuditEvent {

	String tenantId();

	/**
	 * The conversation the event concerns.
	 * @return the conversation id, or {@code null} for a tenant-wide event
	 */
	@Nullable String conversationId();

	/**
	 * The Kafka record key: the conversation, or the tenant for tenant-wide events.
	 * @return the key
	 */
	default String partitionKey() {
		String conversationId = conversationId();
		return (conversationId != null) ? conversationId : tenantId();
	}

}

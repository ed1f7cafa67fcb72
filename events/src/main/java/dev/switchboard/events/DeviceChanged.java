package dev.switchboard.events;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A device's registry entry as it now stands (registered, renamed, revoked, suspended by
 * a downgrade or reinstated). Carries the whole state so that a consumer's copy is the
 * latest event. Tenant-wide: keyed by the tenant.
 *
 * @param tenantId the tenant
 * @param deviceId the device
 * @param agentId the agent using it
 * @param name its unique name in the tenant
 * @param kind {@code PHONE}, {@code TABLET}, {@code DESKTOP} or {@code WEB}
 * @param state {@code ACTIVE}, {@code SUSPENDED} (over the plan's limit) or
 * {@code REVOKED}
 * @param version increases with every change of the device, so late copies can be ignored
 * @param changedAt when
 */
public record DeviceChanged(String tenantId, String deviceId, String agentId, String name, String kind, String state,
		long version, Instant changedAt) implements AuditEvent {

	@Override
	public @Nullable String conversationId() {
		return null;
	}

}

package dev.switchboard.audit.device;

import java.time.Instant;
import java.util.UUID;

import dev.switchboard.events.DeviceChanged;

/**
 * A registered device of an agent.
 *
 * @param id the device id
 * @param tenantId the tenant
 * @param agentId the agent using it
 * @param name its name, unique in the tenant among devices not revoked
 * @param kind what it is
 * @param state whether it may send
 * @param version increases with every change
 * @param registeredAt when it was registered: older devices keep sending first after a
 * downgrade
 * @param changedAt when it last changed
 */
record Device(UUID id, String tenantId, String agentId, String name, DeviceKind kind, DeviceState state, long version,
		Instant registeredAt, Instant changedAt) {

	static Device register(String tenantId, String agentId, String name, DeviceKind kind, Instant at) {
		return new Device(UUID.randomUUID(), tenantId, agentId, name, kind, DeviceState.ACTIVE, 1, at, at);
	}

	Device renamed(String newName, Instant at) {
		requireNotRevoked();
		return new Device(this.id, this.tenantId, this.agentId, newName, this.kind, this.state, this.version + 1,
				this.registeredAt, at);
	}

	Device revoked(Instant at) {
		requireNotRevoked();
		return withState(DeviceState.REVOKED, at);
	}

	Device withState(DeviceState newState, Instant at) {
		return new Device(this.id, this.tenantId, this.agentId, this.name, this.kind, newState, this.version + 1,
				this.registeredAt, at);
	}

	boolean revoked() {
		return this.state == DeviceState.REVOKED;
	}

	DeviceChanged changed() {
		return new DeviceChanged(this.tenantId, this.id.toString(), this.agentId, this.name, this.kind.name(),
				this.state.name(), this.version, this.changedAt);
	}

	private void requireNotRevoked() {
		if (revoked()) {
			throw new DeviceRevokedException(this.id);
		}
	}

	/** A revoked device changes no more. */
	static class DeviceRevokedException extends RuntimeException {

		DeviceRevokedException(UUID id) {
			super("Device " + id + " is revoked: it can send nothing more and is no longer changed");
		}

	}

}

package dev.switchboard.events;

/** Events audit publishes. */
public sealed interface AuditEvent extends SwitchboardEvent permits DeviceChanged {

}

/** The device registry: devices per agent, the plan's limits, DeviceChanged events. */
@NullMarked
package dev.switchboard.audit.device;

import org.jspecify.annotations.NullMarked;

package dev.switchboard.audit.device;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * {@code switchboard_audit_devices{state}}: devices of all tenants per state, refreshed
 * every {@code switchboard.audit.metrics-interval}.
 */
@Component
class DeviceMetrics {

	private static final Logger logger = LoggerFactory.getLogger(DeviceMetrics.class);

	private final DeviceRepository devices;

	private final Map<DeviceState, AtomicLong> counts = new EnumMap<>(DeviceState.class);

	DeviceMetrics(DeviceRepository devices, MeterRegistry meters) {
		this.devices = devices;
		for (DeviceState state : DeviceState.values()) {
			AtomicLong count = new AtomicLong();
			this.counts.put(state, count);
			Gauge.builder("switchboard.audit.devices", count, AtomicLong::get)
				.tag("state", state.name())
				.description("Registered devices by state")
				.register(meters);
		}
	}

	@Scheduled(fixedDelayString = "${switchboard.audit.metrics-interval:15s}", initialDelay = 1000)
	void refresh() {
		try {
			Map<DeviceState, Long> now = new EnumMap<>(DeviceState.class);
			this.devices.countByState()
				.doOnNext((count) -> now.put(DeviceState.valueOf(count.state()), count.devices()))
				.then()
				.block(Duration.ofMinutes(1));
			this.counts.forEach((state, count) -> count.set(now.getOrDefault(state, 0L)));
		}
		catch (RuntimeException ex) {
			logger.warn("Counting devices failed; retrying at the next interval", ex);
		}
	}

}

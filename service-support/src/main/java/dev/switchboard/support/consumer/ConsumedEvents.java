package dev.switchboard.support.consumer;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts what consumers did with the events they were given,
 * {@code switchboard.events.consumed} by consumer and outcome: {@code processed},
 * {@code duplicate}, {@code ignored}, {@code rejected} (unreadable) or {@code failed}
 * (parked after its attempts).
 */
final class ConsumedEvents {

	private final MeterRegistry meters;

	ConsumedEvents(MeterRegistry meters) {
		this.meters = meters;
	}

	void count(String consumer, String outcome) {
		count(consumer, outcome, 1);
	}

	void count(String consumer, String outcome, int events) {
		if (events > 0) {
			this.meters.counter("switchboard.events.consumed", "consumer", consumer, "outcome", outcome)
				.increment(events);
		}
	}

}

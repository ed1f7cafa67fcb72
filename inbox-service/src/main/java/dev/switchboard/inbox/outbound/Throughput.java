package dev.switchboard.inbox.outbound;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Meta's per-number throughput: at most so many sends per business phone number and
 * second (per replica), as token buckets refilled continuously.
 */
final class Throughput {

	private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

	private final int perSecond;

	private final Clock clock;

	Throughput(int perSecond, Clock clock) {
		this.perSecond = perSecond;
		this.clock = clock;
	}

	boolean tryAcquire(String phoneNumberId) {
		return this.buckets.computeIfAbsent(phoneNumberId, (id) -> new Bucket(this.perSecond, this.clock.millis()))
			.tryTake(this.clock.millis());
	}

	private static final class Bucket {

		private final int capacity;

		private double tokens;

		private long updatedAt;

		Bucket(int capacity, long now) {
			this.capacity = capacity;
			this.tokens = capacity;
			this.updatedAt = now;
		}

		synchronized boolean tryTake(long now) {
			this.tokens = Math.min(this.capacity, this.tokens + (now - this.updatedAt) * this.capacity / 1000.0);
			this.updatedAt = now;
			if (this.tokens < 1) {
				return false;
			}
			this.tokens -= 1;
			return true;
		}

	}

}

package dev.switchboard.support.ratelimit;

import java.time.Duration;

import io.github.bucket4j.BucketConfiguration;

/**
 * A token bucket's size: a burst of {@code capacity} tokens, refilled continuously at
 * {@code refillPerSecond}.
 *
 * @param capacity the burst allowed (at least 1)
 * @param refillPerSecond the sustained rate (positive)
 */
public record Rate(long capacity, double refillPerSecond) {

	public Rate {
		if (capacity < 1 || !(refillPerSecond > 0)) {
			throw new IllegalArgumentException("A rate needs a capacity of at least 1 and a positive refill");
		}
	}

	/**
	 * @return the time it takes to refill an empty bucket
	 */
	public Duration refillPeriod() {
		// The whole capacity over the time it takes at the configured rate: a greedy
		// (continuous) refill without rounding a fractional rate.
		return Duration.ofNanos(Math.max(1, Math.round(this.capacity * 1_000_000_000d / this.refillPerSecond)));
	}

	BucketConfiguration configuration() {
		return BucketConfiguration.builder()
			.addLimit((limit) -> limit.capacity(this.capacity).refillGreedy(this.capacity, refillPeriod()))
			.build();
	}

}

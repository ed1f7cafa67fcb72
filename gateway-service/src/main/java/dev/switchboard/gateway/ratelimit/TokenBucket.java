package dev.switchboard.gateway.ratelimit;

import java.time.Duration;

/**
 * A token bucket: {@code capacity} tokens, refilled continuously at
 * {@code refillPerSecond}. Time is passed in, so tests need no clock tricks.
 */
final class TokenBucket {

	private final double capacity;

	private final double refillPerNano;

	private double tokens;

	private long lastRefillNanos;

	TokenBucket(int capacity, double refillPerSecond, long nowNanos) {
		this.capacity = capacity;
		this.refillPerNano = refillPerSecond / 1_000_000_000d;
		this.tokens = capacity;
		this.lastRefillNanos = nowNanos;
	}

	/**
	 * Takes a token if there is one.
	 * @param nowNanos a monotonic time
	 * @return zero if a token was taken, otherwise how long until one is available
	 */
	synchronized Duration tryTake(long nowNanos) {
		this.tokens = Math.min(this.capacity, this.tokens + (nowNanos - this.lastRefillNanos) * this.refillPerNano);
		this.lastRefillNanos = nowNanos;
		if (this.tokens >= 1) {
			this.tokens -= 1;
			return Duration.ZERO;
		}
		return Duration.ofNanos((long) Math.ceil((1 - this.tokens) / this.refillPerNano));
	}

}

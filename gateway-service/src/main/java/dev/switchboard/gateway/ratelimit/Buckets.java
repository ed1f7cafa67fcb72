package dev.switchboard.gateway.ratelimit;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;

/**
 * Bucket4j token buckets of one limit, one per key, in this instance's memory. A bucket
 * idle for as long as it takes to refill completely is evicted: recreated full, it is the
 * same as it would have been. At most {@code maxKeys} are held; beyond that the least
 * recently used go first.
 */
final class Buckets {

	private final RateLimitProperties.Limit limit;

	private final Duration refillPeriod;

	private final TimeMeter time;

	private final Cache<String, Bucket> buckets;

	Buckets(RateLimitProperties.Limit limit, long maxKeys, TimeMeter time) {
		if (limit.capacity() < 1 || !(limit.refillPerSecond() > 0)) {
			throw new IllegalArgumentException("A rate limit needs a capacity of at least 1 and a positive refill");
		}
		this.limit = limit;
		// The whole capacity over the time it takes at the configured rate: the same
		// greedy (continuous) refill, without rounding a fractional rate.
		this.refillPeriod = Duration
			.ofNanos(Math.max(1, Math.round(limit.capacity() * 1_000_000_000d / limit.refillPerSecond())));
		this.time = time;
		this.buckets = Caffeine.newBuilder()
			.expireAfterAccess(this.refillPeriod)
			.maximumSize(maxKeys)
			.ticker(time::currentTimeNanos)
			.build();
	}

	Buckets(RateLimitProperties.Limit limit, long maxKeys) {
		this(limit, maxKeys, TimeMeter.SYSTEM_NANOTIME);
	}

	/**
	 * Takes a token from the key's bucket if there is one.
	 * @param key whose bucket
	 * @return zero if a token was taken, otherwise how long until one is available
	 */
	Duration tryTake(String key) {
		ConsumptionProbe probe = this.buckets.get(key, (k) -> newBucket()).tryConsumeAndReturnRemaining(1);
		return probe.isConsumed() ? Duration.ZERO : Duration.ofNanos(Math.max(1, probe.getNanosToWaitForRefill()));
	}

	private Bucket newBucket() {
		return Bucket.builder()
			.addLimit((bandwidth) -> bandwidth.capacity(this.limit.capacity())
				.refillGreedy(this.limit.capacity(), this.refillPeriod))
			.withCustomTimePrecision(this.time)
			.build();
	}

	/**
	 * The seconds a client should wait, rounded up, for {@code Retry-After}.
	 * @param wait what {@link #tryTake} answered
	 * @return at least 1
	 */
	static long retryAfterSeconds(Duration wait) {
		return Math.max(1, (wait.toNanos() + 999_999_999) / 1_000_000_000);
	}

}

package dev.switchboard.gateway.ratelimit;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.github.bucket4j.TimeMeter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BucketsTests {

	private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

	private final TimeMeter time = new TimeMeter() {
		@Override
		public long currentTimeNanos() {
			return BucketsTests.this.nanos.get();
		}

		@Override
		public boolean isWallClockBased() {
			return false;
		}
	};

	@Test
	void whenTheBurstIsSpentThenTheWaitIsUntilTheNextTokenAndKeysAreApart() {
		Buckets buckets = new Buckets(new RateLimitProperties.Limit(3, 0.5), 100, this.time);
		for (int i = 0; i < 3; i++) {
			assertThat(buckets.tryTake("a")).isZero();
		}
		assertThat(buckets.tryTake("a")).isEqualTo(Duration.ofSeconds(2));
		assertThat(buckets.tryTake("b")).isZero();
		this.nanos.addAndGet(Duration.ofSeconds(2).toNanos());
		assertThat(buckets.tryTake("a")).isZero();
		assertThat(buckets.tryTake("a")).isPositive();
	}

	@Test
	void whenTheRateIsHighThenItIsSustained() {
		Buckets buckets = new Buckets(new RateLimitProperties.Limit(10, 5000), 100, this.time);
		int taken = 0;
		// One second in steps of 1 ms: the burst plus 5,000 refilled.
		for (int ms = 0; ms < 1000; ms++) {
			this.nanos.addAndGet(1_000_000);
			while (buckets.tryTake("benchmark").isZero()) {
				taken++;
			}
		}
		assertThat(taken).isBetween(5000, 5010);
	}

	@Test
	void whenABucketIsIdleLongerThanItsRefillThenItIsFullAgain() {
		Buckets buckets = new Buckets(new RateLimitProperties.Limit(2, 1), 100, this.time);
		buckets.tryTake("a");
		buckets.tryTake("a");
		this.nanos.addAndGet(Duration.ofSeconds(3).toNanos());
		assertThat(buckets.tryTake("a")).isZero();
		assertThat(buckets.tryTake("a")).isZero();
		assertThat(buckets.tryTake("a")).isPositive();
	}

	@Test
	void whenRetryAfterIsComputedThenItIsWholeSecondsRoundedUp() {
		assertThat(Buckets.retryAfterSeconds(Duration.ofMillis(1))).isEqualTo(1);
		assertThat(Buckets.retryAfterSeconds(Duration.ofMillis(2001))).isEqualTo(3);
	}

	@Test
	void whenTheLimitIsEmptyThenItIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Buckets(new RateLimitProperties.Limit(0, 1), 10));
		assertThatIllegalArgumentException().isThrownBy(() -> new Buckets(new RateLimitProperties.Limit(1, 0), 10));
	}

}

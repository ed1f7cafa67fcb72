package dev.switchboard.support.ratelimit;

import java.math.BigDecimal;
import java.time.Duration;

import javax.sql.DataSource;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Token buckets shared by every replica of a service: Bucket4j's state in a PostgreSQL
 * row per key, read and written under {@code SELECT ... FOR UPDATE}, so two replicas
 * taking from one bucket at once take in turn and together never exceed its rate.
 * <p>
 * Bucket4j's JDBC access blocks, so each take runs on Reactor's bounded-elastic
 * scheduler, never on an event loop. There is deliberately no local token cache in front
 * (Bucket4j's "delaying" or "predicting" optimizations): tokens a replica held locally
 * could be spent by each replica at once, exceeding the limit by up to the cache per
 * replica, and Meta's throughput cap is what the send cap must hold exactly. The
 * "batching" optimization is used instead: concurrent takes from one key in one replica
 * are merged into one database transaction, which keeps the limit exact and the
 * database's work proportional to the contention, not the request rate.
 * <p>
 * A bucket's row is named by its key and its rate. Bucket4j keeps the configuration a row
 * was created with, so under the key alone a changed limit would only apply once the row
 * is deleted, which for a busy key (never full) is never, and a replica configured
 * otherwise would take from the other's bucket at the other's rate. With the rate in its
 * name a changed limit takes effect at once; while replicas with the old and the new
 * configuration run side by side (a rolling update), each takes from its own bucket.
 */
public final class SharedBuckets {

	/** Bucket proxies (cheap; they hold the batching queue) kept per key and rate. */
	private static final int MAX_PROXIES = 100_000;

	private final PostgreSQLSelectForUpdateBasedProxyManager<String> proxies;

	private final Cache<Key, Bucket> buckets = Caffeine.newBuilder().maximumSize(MAX_PROXIES).build();

	private final MeterRegistry meters;

	/**
	 * @param dataSource the service's database, whose search path names its schema
	 * @param table the table of buckets (columns {@code id}, {@code state},
	 * {@code expires_at})
	 * @param meters where failures to reach the table are counted
	 */
	public SharedBuckets(DataSource dataSource, String table, MeterRegistry meters) {
		this.proxies = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
			.primaryKeyMapper(PrimaryKeyMapper.STRING)
			.table(table)
			.idColumn("id")
			.stateColumn("state")
			.expiresAtColumn("expires_at")
			// A bucket that refilled completely is the same as a new one: its row may go.
			.expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ZERO))
			.build();
		this.meters = meters;
	}

	/**
	 * Takes one token from a bucket if it holds one.
	 * @param key the bucket ({@code "<what>:<whose>"}, e.g. {@code tenant:acme})
	 * @param rate its size
	 * @return zero if a token was taken, otherwise how long until one is available;
	 * errors when the table cannot be reached
	 */
	public Mono<Duration> tryTake(String key, Rate rate) {
		return Mono.fromCallable(() -> {
			ConsumptionProbe probe = bucket(key, rate).tryConsumeAndReturnRemaining(1);
			return probe.isConsumed() ? Duration.ZERO : Duration.ofNanos(Math.max(1, probe.getNanosToWaitForRefill()));
		}).subscribeOn(Schedulers.boundedElastic()).doOnError((ex) -> failed(key));
	}

	/**
	 * Takes as many tokens as the bucket holds, up to {@code wanted}.
	 * @param key the bucket
	 * @param rate its size
	 * @param wanted tokens wanted
	 * @return how many were taken (0 to {@code wanted}); errors when the table cannot be
	 * reached
	 */
	public Mono<Long> takeUpTo(String key, Rate rate, long wanted) {
		if (wanted <= 0) {
			return Mono.just(0L);
		}
		return Mono.fromCallable(() -> bucket(key, rate).tryConsumeAsMuchAsPossible(wanted))
			.subscribeOn(Schedulers.boundedElastic())
			.doOnError((ex) -> failed(key));
	}

	/**
	 * Deletes the rows of buckets that refilled completely (blocking).
	 * @param batch rows deleted at most
	 * @return how many were deleted
	 */
	int removeExpired(int batch) {
		return this.proxies.removeExpired(batch);
	}

	private Bucket bucket(String key, Rate rate) {
		return this.buckets.get(new Key(key, rate),
				(k) -> this.proxies.builder()
					.withOptimization(Optimizations.batching())
					.build(rowId(key, rate), rate::configuration));
	}

	/**
	 * @param key the bucket's key
	 * @param rate its rate
	 * @return the id of its row, e.g. {@code send:106540352242922@80/80}
	 */
	static String rowId(String key, Rate rate) {
		return key + "@" + rate.capacity() + "/"
				+ BigDecimal.valueOf(rate.refillPerSecond()).stripTrailingZeros().toPlainString();
	}

	private void failed(String key) {
		int colon = key.indexOf(':');
		this.meters.counter("switchboard.shared.limits.errors", "limit", (colon > 0) ? key.substring(0, colon) : key)
			.increment();
	}

	private record Key(String key, Rate rate) {

	}

}

package dev.switchboard.support.ratelimit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.switchboard.testsupport.Database;
import dev.switchboard.testsupport.RealInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of {@link SharedBuckets}, each with its own pool as two replicas have,
 * against one table in the real PostgreSQL.
 */
class SharedBucketsIT {

	private static final String SCHEMA = "shared_limits_" + UUID.randomUUID().toString().replace("-", "");

	private static final String TABLE = "rate_limit_bucket";

	private static HikariDataSource firstPool;

	private static HikariDataSource secondPool;

	private static SharedBuckets first;

	private static SharedBuckets second;

	@BeforeAll
	static void connect() throws SQLException {
		Database db = RealInfrastructure.get().database();
		try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE SCHEMA " + SCHEMA);
			// The same table as the services' migrations create.
			statement.execute(
					"CREATE TABLE " + SCHEMA + "." + TABLE + " (id TEXT PRIMARY KEY, state BYTEA, expires_at BIGINT)");
		}
		firstPool = pool(db);
		secondPool = pool(db);
		first = new SharedBuckets(firstPool, TABLE, new SimpleMeterRegistry());
		second = new SharedBuckets(secondPool, TABLE, new SimpleMeterRegistry());
	}

	@AfterAll
	static void disconnect() {
		firstPool.close();
		secondPool.close();
	}

	@Test
	void whenTwoReplicasTakeFromOneBucketAtOnceThenTogetherTheyNeverExceedItsRate() {
		Rate rate = new Rate(20, 20);
		String key = "test:" + UUID.randomUUID();
		AtomicLong taken = new AtomicLong();
		long start = System.nanoTime();
		long end = start + Duration.ofSeconds(2).toNanos();
		List<CompletableFuture<Void>> takers = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			SharedBuckets replica = (i % 2 == 0) ? first : second;
			takers.add(CompletableFuture.runAsync(() -> {
				while (System.nanoTime() < end) {
					if (Duration.ZERO.equals(replica.tryTake(key, rate).block())) {
						taken.incrementAndGet();
					}
				}
			}));
		}
		takers.forEach(CompletableFuture::join);
		double seconds = (System.nanoTime() - start) / 1e9;

		// A full bucket's burst, then the refill over the time they took.
		assertThat(taken.get()).isLessThanOrEqualTo((long) Math.floor(20 + 20 * seconds))
			.isGreaterThanOrEqualTo((long) Math.floor(20 + 20 * 1.5));
	}

	@Test
	void whenAReplicaAsksForMoreThanTheBucketHoldsThenItGetsWhatIsLeftAndTheOtherNothing() {
		Rate rate = new Rate(20, 0.01);
		String key = "test:" + UUID.randomUUID();

		assertThat(first.takeUpTo(key, rate, 15).block()).isEqualTo(15);
		assertThat(second.takeUpTo(key, rate, 15).block()).isEqualTo(5);
		assertThat(first.takeUpTo(key, rate, 15).block()).isZero();
		assertThat(second.tryTake(key, rate).block()).isGreaterThan(Duration.ofSeconds(60));
	}

	@Test
	void whenTheRateOfAKeyChangesThenTakesFollowTheNewRateAtOnce() {
		String key = "test:" + UUID.randomUUID();
		assertThat(first.takeUpTo(key, new Rate(80, 0.01), 1).block()).isOne();

		// A replica configured with the new rate, while the old bucket is still far from
		// full (its row would stay for hours): the old bucket's 79 tokens are not its.
		assertThat(second.takeUpTo(key, new Rate(20, 0.01), 100).block()).isEqualTo(20);
		assertThat(first.takeUpTo(key, new Rate(80, 0.01), 100).block()).isEqualTo(79);
	}

	@Test
	void whenABucketRefilledCompletelyThenItsRowIsDeleted() throws SQLException {
		String key = "test:" + UUID.randomUUID();
		Rate rate = new Rate(1, 20);
		assertThat(first.tryTake(key, rate).block()).isZero();
		assertThat(rows(SharedBuckets.rowId(key, rate))).isOne();

		await().atMost(Duration.ofSeconds(10)).until(() -> {
			first.removeExpired(100);
			return rows(SharedBuckets.rowId(key, rate)) == 0;
		});
	}

	private static long rows(String id) throws SQLException {
		try (Connection connection = firstPool.getConnection();
				Statement statement = connection.createStatement();
				ResultSet rows = statement
					.executeQuery("SELECT count(*) FROM " + TABLE + " WHERE id = '" + id.replace("'", "''") + "'")) {
			rows.next();
			return rows.getLong(1);
		}
	}

	private static HikariDataSource pool(Database db) {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(db.jdbcUrl());
		config.setUsername(db.username());
		config.setPassword(db.password());
		config.setSchema(SCHEMA);
		config.setMaximumPoolSize(4);
		return new HikariDataSource(config);
	}

}

package dev.switchboard.support.ratelimit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * {@link SharedBuckets} for a service that sets
 * {@code switchboard.shared-limits.enabled}. The pool is the service's only JDBC pool: it
 * is not the application's {@code DataSource} bean, so Spring Boot's R2DBC and Flyway
 * set-up stay as they are.
 */
@AutoConfiguration(
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnBooleanProperty("switchboard.shared-limits.enabled")
@EnableConfigurationProperties(SharedLimitsProperties.class)
@EnableScheduling
public class SharedLimitsAutoConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(SharedLimitsAutoConfiguration.class);

	@Bean(destroyMethod = "close")
	SharedLimitsPool sharedLimitsPool(SharedLimitsProperties properties,
			@Value("${spring.application.name:switchboard}") String application) {
		HikariConfig config = new HikariConfig();
		config.setPoolName("shared-limits");
		config.setJdbcUrl(properties.url());
		config.setUsername(properties.username());
		config.setPassword(properties.password());
		config.setSchema(properties.schema());
		config.setMaximumPoolSize(properties.poolSize());
		config.setMinimumIdle(1);
		config.setConnectionTimeout(properties.connectionTimeout().toMillis());
		config.addDataSourceProperty("ApplicationName", application);
		// Start without a connection: the database may come up after the service (the
		// first take then counts as failed, as every take does while it is away).
		config.setInitializationFailTimeout(-1);
		return new SharedLimitsPool(new HikariDataSource(config));
	}

	@Bean
	SharedBuckets sharedBuckets(SharedLimitsPool pool, SharedLimitsProperties properties, MeterRegistry meters) {
		return new SharedBuckets(pool.dataSource(), properties.table(), meters);
	}

	@Bean
	Cleanup sharedBucketsCleanup(SharedBuckets buckets) {
		return new Cleanup(buckets);
	}

	/**
	 * The JDBC pool of the shared buckets, closed with the context.
	 *
	 * @param dataSource the pool
	 */
	record SharedLimitsPool(HikariDataSource dataSource) implements AutoCloseable {

		@Override
		public void close() {
			this.dataSource.close();
		}

	}

	/** Deletes rows of buckets that refilled completely, so idle keys cost nothing. */
	static final class Cleanup {

		private final SharedBuckets buckets;

		Cleanup(SharedBuckets buckets) {
			this.buckets = buckets;
		}

		@Scheduled(fixedDelayString = "${switchboard.shared-limits.cleanup-interval:1m}", initialDelay = 10_000)
		void removeExpired() {
			try {
				this.buckets.removeExpired(1000);
			}
			catch (RuntimeException ex) {
				logger.debug("Expired shared buckets will be deleted later: {}", ex.getMessage());
			}
		}

	}

}

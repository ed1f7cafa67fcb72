package dev.switchboard.support.ratelimit;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the shared token buckets live: a table in the service's own schema, reached over
 * a small JDBC pool of its own (the service itself talks R2DBC; Bucket4j needs JDBC).
 *
 * @param enabled whether the service keeps shared buckets (it then needs the table, made
 * by one of its Flyway migrations)
 * @param url the JDBC URL of the service's database
 * @param username the service's database login
 * @param password its password
 * @param schema the service's schema, which holds the table
 * @param table the table
 * @param poolSize the pool's connections at most
 * @param connectionTimeout how long a take waits for a connection before it counts as
 * failed
 * @param cleanupInterval how often rows of buckets that refilled completely are deleted
 */
@ConfigurationProperties("switchboard.shared-limits")
public record SharedLimitsProperties(@DefaultValue("false") boolean enabled,
		@DefaultValue("jdbc:postgresql://localhost:5432/switchboard") String url,
		@DefaultValue("switchboard") String username, @DefaultValue("switchboard") String password,
		@DefaultValue("public") String schema, @DefaultValue("rate_limit_bucket") String table,
		@DefaultValue("4") int poolSize, @DefaultValue("2s") Duration connectionTimeout,
		@DefaultValue("1m") Duration cleanupInterval) {

}

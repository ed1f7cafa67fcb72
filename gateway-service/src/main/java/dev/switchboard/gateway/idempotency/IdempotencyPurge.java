package dev.switchboard.gateway.idempotency;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Deletes {@code Idempotency-Key}s older than the retention, counting them in
 * {@code switchboard_gateway_idempotency_purged_total}. Such a key is no longer replayed
 * whether or not it was purged yet; the purge only keeps the table small. Every replica
 * may run it: the delete is the same for all.
 */
@Component
@EnableScheduling
public class IdempotencyPurge {

	private static final Logger logger = LoggerFactory.getLogger(IdempotencyPurge.class);

	private final DatabaseClient database;

	private final Clock clock;

	private final Duration retention;

	private final Counter purged;

	IdempotencyPurge(DatabaseClient database, Clock clock, IdempotencyProperties properties, MeterRegistry meters) {
		this.database = database;
		this.clock = clock;
		this.retention = properties.retention();
		this.purged = Counter.builder("switchboard.gateway.idempotency.purged")
			.description("Idempotency-Keys deleted after their retention")
			.register(meters);
	}

	@Scheduled(fixedDelayString = "${switchboard.gateway.idempotency.purge-interval:1h}",
			initialDelayString = "${switchboard.gateway.idempotency.purge-interval:1h}")
	void tick() {
		purge().subscribe(null, (ex) -> logger.warn("Expired Idempotency-Keys not purged: {}", ex.getMessage()));
	}

	/**
	 * Deletes the keys created longer than the retention ago.
	 * @return how many were deleted
	 */
	public Mono<Long> purge() {
		OffsetDateTime expired = OffsetDateTime.ofInstant(this.clock.instant().minus(this.retention), ZoneOffset.UTC);
		return this.database.sql("DELETE FROM idempotent_request WHERE created_at < :expired")
			.bind("expired", expired)
			.fetch()
			.rowsUpdated()
			.doOnNext(this.purged::increment);
	}

}

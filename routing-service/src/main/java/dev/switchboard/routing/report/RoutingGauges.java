package dev.switchboard.routing.report;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.switchboard.routing.Rows;
import dev.switchboard.routing.window.WindowProperties;

/**
 * Gauges read from the database every few seconds, so that every replica reports the same
 * figures: queue length per team, and windows by state.
 */
@Component
class RoutingGauges {

	private static final Logger logger = LoggerFactory.getLogger(RoutingGauges.class);

	private final DatabaseClient database;

	private final WindowProperties window;

	private final Clock clock;

	private final MultiGauge queue;

	private final MultiGauge windows;

	RoutingGauges(DatabaseClient database, WindowProperties window, Clock clock, MeterRegistry meters) {
		this.database = database;
		this.window = window;
		this.clock = clock;
		this.queue = MultiGauge.builder("switchboard.routing.queue.length")
			.description("Conversations waiting for an agent, per team")
			.register(meters);
		this.windows = MultiGauge.builder("switchboard.routing.windows")
			.description("Customer-service windows by state (open, closing; expired in the last 24 h)")
			.register(meters);
	}

	@Scheduled(fixedDelayString = "${switchboard.routing.gauge-interval:15s}", initialDelay = 1000)
	void refresh() {
		try {
			List<MultiGauge.Row<?>> queued = this.database
				.sql("""
						SELECT COALESCE(NULLIF(team_id, ''), 'none') AS team, count(*) AS queued
						FROM assignment WHERE state = 'QUEUED' GROUP BY 1""").<MultiGauge
						.Row<?>>map(
								(row) -> MultiGauge.Row.of(Tags.of("team", Rows.text(row, "team")),
										Objects.requireNonNull(row.get("queued", Long.class))))
				.all()
				.collectList()
				.block(Duration.ofSeconds(10));
			this.queue.register(Objects.requireNonNull(queued), true);
			var now = this.clock.instant();
			List<MultiGauge.Row<?>> states = this.database.sql("""
					SELECT count(*) FILTER (WHERE closing_due_at > :now) AS open,
					       count(*) FILTER (WHERE closing_due_at <= :now AND expires_at > :now) AS closing,
					       count(*) FILTER (WHERE expires_at <= :now AND expires_at > :dayAgo) AS expired
					FROM conversation_window WHERE expires_at > :dayAgo""")
				.bind("now", Rows.utc(now))
				.bind("dayAgo", Rows.utc(now.minus(this.window.length())))
				.map((row) -> List.<MultiGauge.Row<?>>of(
						MultiGauge.Row.of(Tags.of("state", "open"),
								Objects.requireNonNull(row.get("open", Long.class))),
						MultiGauge.Row.of(Tags.of("state", "closing"),
								Objects.requireNonNull(row.get("closing", Long.class))),
						MultiGauge.Row.of(Tags.of("state", "expired"),
								Objects.requireNonNull(row.get("expired", Long.class)))))
				.one()
				.block(Duration.ofSeconds(10));
			this.windows.register(Objects.requireNonNull(states), true);
		}
		catch (RuntimeException ex) {
			logger.warn("Routing gauges not refreshed: {}", ex.getMessage());
		}
	}

}

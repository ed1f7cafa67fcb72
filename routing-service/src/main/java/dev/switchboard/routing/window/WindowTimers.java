package dev.switchboard.routing.window;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.switchboard.events.WindowClosing;
import dev.switchboard.events.WindowExpired;
import dev.switchboard.routing.Rows;
import dev.switchboard.routing.assignment.Dispatcher;
import dev.switchboard.support.outbox.OutboxRelay;
import dev.switchboard.support.outbox.OutboxWriter;

/**
 * The window's durable timers. Due times live in {@code conversation_window}; each look
 * claims due rows with {@code FOR UPDATE SKIP LOCKED} and marks the expiry it fired for
 * in the same transaction as the event, so a timer fires exactly once across replicas and
 * restarts, and fires again only when the customer extended the window.
 */
@Component
@EnableScheduling
@EnableConfigurationProperties(WindowProperties.class)
public class WindowTimers {

	private static final Logger logger = LoggerFactory.getLogger(WindowTimers.class);

	private final DatabaseClient database;

	private final TransactionalOperator transactions;

	private final OutboxWriter outbox;

	private final OutboxRelay relay;

	private final Dispatcher dispatcher;

	private final WindowProperties properties;

	private final Clock clock;

	private final MeterRegistry meters;

	WindowTimers(DatabaseClient database, TransactionalOperator transactions, OutboxWriter outbox, OutboxRelay relay,
			Dispatcher dispatcher, WindowProperties properties, Clock clock, MeterRegistry meters) {
		this.database = database;
		this.transactions = transactions;
		this.outbox = outbox;
		this.relay = relay;
		this.dispatcher = dispatcher;
		this.properties = properties;
		this.clock = clock;
		this.meters = meters;
	}

	@Scheduled(fixedDelayString = "${switchboard.window.timer-interval:1s}")
	void tick() {
		try {
			fireDue();
		}
		catch (RuntimeException ex) {
			logger.warn("Window timers will be retried: {}", ex.getMessage());
		}
	}

	/**
	 * Fires every timer due by the clock's now.
	 * @return how many windows changed state
	 */
	public int fireDue() {
		Integer closing = fireClosing().as(this.transactions::transactional).block(Duration.ofSeconds(60));
		Integer expired = fireExpired().as(this.transactions::transactional).block(Duration.ofSeconds(60));
		int fired = Objects.requireNonNullElse(closing, 0) + Objects.requireNonNullElse(expired, 0);
		if (fired > 0) {
			this.relay.signal();
		}
		return fired;
	}

	private Mono<Integer> fireClosing() {
		Instant now = this.clock.instant();
		return this.database.sql("""
				SELECT w.conversation_id, w.tenant_id, w.expires_at,
				       (SELECT a.awaiting_since IS NOT NULL FROM assignment a
				         WHERE a.conversation_id = w.conversation_id) AS unanswered
				FROM conversation_window w
				WHERE w.closing_due_at <= :now AND w.expires_at > :now
				  AND w.closing_fired_for IS DISTINCT FROM w.expires_at
				ORDER BY w.closing_due_at LIMIT :batch
				FOR UPDATE OF w SKIP LOCKED""")
			.bind("now", Rows.utc(now))
			.bind("batch", this.properties.timerBatch())
			.map((row) -> new Due(Objects.requireNonNull(row.get("conversation_id", UUID.class)),
					Rows.text(row, "tenant_id"), Rows.instant(row, "expires_at"),
					Boolean.TRUE.equals(row.get("unanswered", Boolean.class))))
			.all()
			.collectList()
			.flatMap((due) -> Flux.fromIterable(due)
				.concatMap((window) -> this.database
					.sql("UPDATE conversation_window SET closing_fired_for = expires_at WHERE conversation_id = :id")
					.bind("id", window.conversationId())
					.then()
					.then(this.outbox.append(new WindowClosing(window.tenantId(), window.conversationId().toString(),
							window.expiresAt(), window.unanswered())))
					.then(window.unanswered() ? this.dispatcher.escalate(window.tenantId(), window.conversationId())
							: Mono.empty())
					.doOnSuccess((ignored) -> this.meters
						.counter("switchboard.routing.windows.closing", "unanswered",
								Boolean.toString(window.unanswered()))
						.increment()))
				.then(Mono.just(due.size())));
	}

	private Mono<Integer> fireExpired() {
		Instant now = this.clock.instant();
		return this.database.sql("""
				SELECT w.conversation_id, w.tenant_id, w.expires_at,
				       (SELECT a.awaiting_since IS NOT NULL FROM assignment a
				         WHERE a.conversation_id = w.conversation_id) AS unanswered
				FROM conversation_window w
				WHERE w.expires_at <= :now AND w.expiry_fired_for IS DISTINCT FROM w.expires_at
				ORDER BY w.expires_at LIMIT :batch
				FOR UPDATE OF w SKIP LOCKED""")
			.bind("now", Rows.utc(now))
			.bind("batch", this.properties.timerBatch())
			.map((row) -> new Due(Objects.requireNonNull(row.get("conversation_id", UUID.class)),
					Rows.text(row, "tenant_id"), Rows.instant(row, "expires_at"),
					Boolean.TRUE.equals(row.get("unanswered", Boolean.class))))
			.all()
			.collectList()
			.flatMap((due) -> Flux.fromIterable(due).concatMap(this::expire).then(Mono.just(due.size())));
	}

	private Mono<Void> expire(Due window) {
		return this.database.sql("""
				UPDATE conversation_window SET expiry_fired_for = expires_at, closing_fired_for = expires_at
				WHERE conversation_id = :id""")
			.bind("id", window.conversationId())
			.then()
			.then(this.database.sql("""
					INSERT INTO window_expiry (conversation_id, expired_at, tenant_id, team_id, agent_id, unanswered)
					SELECT :id, :expiredAt, :tenant, a.team_id, a.agent_id, :unanswered
					FROM (SELECT 1) one LEFT JOIN assignment a ON a.conversation_id = :id
					ON CONFLICT DO NOTHING""")
				.bind("id", window.conversationId())
				.bind("expiredAt", Rows.utc(window.expiresAt()))
				.bind("tenant", window.tenantId())
				.bind("unanswered", window.unanswered())
				.then())
			.then(this.outbox.append(new WindowExpired(window.tenantId(), window.conversationId().toString(),
					window.expiresAt(), window.unanswered())))
			.doOnSuccess((ignored) -> this.meters
				.counter("switchboard.routing.windows.expired", "unanswered", Boolean.toString(window.unanswered()))
				.increment());
	}

	private record Due(UUID conversationId, String tenantId, Instant expiresAt, boolean unanswered) {

	}

}

package dev.switchboard.routing.report;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.r2dbc.spi.Readable;
import io.swagger.v3.oas.annotations.Operation;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import dev.switchboard.events.Role;
import dev.switchboard.routing.Rows;
import dev.switchboard.support.web.Caller;

/**
 * Service levels of a period, per team and per agent: replies to waiting customers, the
 * first-response time, the share answered within the 24-hour window, and the windows that
 * expired (and how many of them with the customer unanswered).
 */
@RestController
class ServiceLevelController {

	private static final Duration LONGEST_PERIOD = Duration.ofDays(366);

	private final DatabaseClient database;

	ServiceLevelController(DatabaseClient database) {
		this.database = database;
	}

	@Operation(operationId = "getServiceLevels", summary = "Get the service levels of a period")
	@GetMapping("/api/v1/reports/service-levels")
	Mono<ServiceLevels> serviceLevels(Caller caller, @RequestParam Instant from, @RequestParam Instant to,
			@RequestParam(required = false) @Nullable String team) {
		// The tenant's own figures; the platform's SRE watches the platform's metrics
		// instead.
		caller.requireAny(Role.OWNER, Role.ADMIN);
		if (!from.isBefore(to) || Duration.between(from, to).compareTo(LONGEST_PERIOD) > 0) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"from must be before to, and the period at most 366 days");
		}
		Mono<List<Line>> teams = lines(caller.tenantId(), from, to, team, "team_id", "''");
		Mono<List<Line>> agents = lines(caller.tenantId(), from, to, team, "team_id", "agent_id");
		return Mono.zip(teams, agents).map((both) -> new ServiceLevels(from, to, team, both.getT1(), both.getT2()));
	}

	private Mono<List<Line>> lines(String tenantId, Instant from, Instant to, @Nullable String team, String teamColumn,
			String agentColumn) {
		String teamFilter = (team != null) ? " AND team_id = :team" : "";
		String sql = """
				WITH r AS (
				    SELECT %1$s AS team_id, %2$s AS agent_id, count(*) AS responses,
				           count(*) FILTER (WHERE within_window) AS within_window,
				           avg(extract(epoch FROM responded_at - customer_at)) AS average_seconds,
				           percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM responded_at - customer_at))
				               AS median_seconds
				    FROM response WHERE tenant_id = :tenant AND responded_at >= :from AND responded_at < :to %3$s
				    GROUP BY 1, 2),
				e AS (
				    SELECT COALESCE(%1$s, '') AS team_id, COALESCE(%2$s, '') AS agent_id, count(*) AS expiries,
				           count(*) FILTER (WHERE unanswered) AS unanswered_expiries
				    FROM window_expiry WHERE tenant_id = :tenant AND expired_at >= :from AND expired_at < :to %3$s
				    GROUP BY 1, 2)
				SELECT COALESCE(r.team_id, e.team_id) AS team_id, COALESCE(r.agent_id, e.agent_id) AS agent_id,
				       COALESCE(r.responses, 0) AS responses, COALESCE(r.within_window, 0) AS within_window,
				       r.average_seconds, r.median_seconds,
				       COALESCE(e.expiries, 0) AS expiries, COALESCE(e.unanswered_expiries, 0) AS unanswered_expiries
				FROM r FULL JOIN e ON r.team_id = e.team_id AND r.agent_id = e.agent_id
				ORDER BY 1, 2""".formatted(teamColumn, agentColumn, teamFilter);
		DatabaseClient.GenericExecuteSpec query = this.database.sql(sql)
			.bind("tenant", tenantId)
			.bind("from", Rows.utc(from))
			.bind("to", Rows.utc(to))
			.bindValues((team != null) ? Map.of("team", team) : Map.of());
		return query.map(ServiceLevelController::line).all().collectList();
	}

	private static Line line(Readable row) {
		long responses = number(row, "responses");
		long within = number(row, "within_window");
		Number average = row.get("average_seconds", Number.class);
		Number median = row.get("median_seconds", Number.class);
		String agent = row.get("agent_id", String.class);
		return new Line(Objects.requireNonNullElse(row.get("team_id", String.class), ""),
				(agent == null || agent.isEmpty()) ? null : agent, responses, within,
				(responses > 0) ? java.math.BigDecimal.valueOf(within)
					.divide(java.math.BigDecimal.valueOf(responses), 4, java.math.RoundingMode.HALF_UP) : null,
				(average != null) ? Math.round(average.doubleValue()) : null,
				(median != null) ? Math.round(median.doubleValue()) : null, number(row, "expiries"),
				number(row, "unanswered_expiries"));
	}

	private static long number(Readable row, String column) {
		Number value = row.get(column, Number.class);
		return (value != null) ? value.longValue() : 0;
	}

	/**
	 * The report.
	 *
	 * @param from the start of the period (inclusive)
	 * @param to the end (exclusive)
	 * @param team the team asked for, or null for all
	 * @param teams one line per team
	 * @param agents one line per agent and team
	 */
	record ServiceLevels(Instant from, Instant to, @Nullable String team, List<Line> teams, List<Line> agents) {

	}

	/**
	 * Service levels of a team or an agent.
	 *
	 * @param teamId the team ({@code ""} for conversations no team took)
	 * @param agentId the agent, null on a team line
	 * @param responses replies to waiting customers
	 * @param withinWindow of those, sent while the 24-hour window was open
	 * @param withinWindowRatio withinWindow / responses, 4 decimals
	 * @param averageFirstResponseSeconds average time from the customer's first
	 * unanswered message to the reply
	 * @param medianFirstResponseSeconds its median
	 * @param windowExpiries windows that expired
	 * @param unansweredExpiries of those, with the customer unanswered
	 */
	record Line(String teamId, @Nullable String agentId, long responses, long withinWindow,
			java.math.@Nullable BigDecimal withinWindowRatio, @Nullable Long averageFirstResponseSeconds,
			@Nullable Long medianFirstResponseSeconds, long windowExpiries, long unansweredExpiries) {

	}

}

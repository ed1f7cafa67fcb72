package dev.switchboard.billing.charge;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;

import io.swagger.v3.oas.annotations.Operation;
import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import dev.switchboard.billing.web.Cursor;
import dev.switchboard.billing.web.Page;
import dev.switchboard.billing.web.Rejections;
import dev.switchboard.events.Role;
import dev.switchboard.support.web.Caller;

import static dev.switchboard.billing.web.Rows.value;

/**
 * What late replies cost: per team and agent of the caller's tenant, in a month (by
 * delivery), how many conversations were answered only after their window had expired,
 * how many such replies were sent, and what they cost. The team is the one the
 * conversation was assigned to when the reply was sent ({@code ConversationAssigned}).
 */
@RestController
class LateReplyController {

	private final DatabaseClient database;

	private final Rejections rejections;

	private final Clock clock;

	LateReplyController(DatabaseClient database, Rejections rejections, Clock clock) {
		this.database = database;
		this.rejections = rejections;
		this.clock = clock;
	}

	@Operation(operationId = "listLateReplies",
			summary = "List the month's replies sent after the customer-service window closed")
	@GetMapping("/api/v1/billing/late-replies")
	Mono<Page<LateReplies>> lateReplies(Caller caller, @RequestParam(required = false) @Nullable String month,
			@RequestParam(defaultValue = "50") int limit, @RequestParam(required = false) @Nullable String cursor) {
		caller.requireAny(Role.FINANCE, Role.OWNER);
		YearMonth checkedMonth = (month != null) ? this.rejections.month(month)
				: YearMonth.from(this.clock.instant().atOffset(ZoneOffset.UTC));
		int checkedLimit = Cursor.limit(limit, this.rejections);
		Cursor after = Cursor.decode(cursor, 3, this.rejections, (parts) -> {
			// team, agent and currency are plain text
		});
		String keyset = (after != null)
				? " WHERE (team_id, agent_id, currency) > (:afterTeam, :afterAgent, :afterCurrency)" : "";
		DatabaseClient.GenericExecuteSpec spec = this.database.sql("""
				SELECT * FROM (
				    SELECT COALESCE(a.team_id, '') AS team_id, c.agent_id, c.currency,
				           count(DISTINCT c.conversation_id) AS conversations, count(*) AS replies,
				           sum(c.unit_price) AS cost
				    FROM charge c
				    LEFT JOIN LATERAL (SELECT team_id FROM assignment a
				                       WHERE a.conversation_id = c.conversation_id AND a.assigned_at <= c.sent_at
				                       ORDER BY a.assigned_at DESC LIMIT 1) a ON true
				    WHERE c.tenant_id = :tenant AND c.billing_month = :month AND c.late_reply
				    GROUP BY 1, 2, 3) totals
				""" + keyset + " ORDER BY team_id, agent_id, currency LIMIT :limit")
			.bind("tenant", caller.tenantId())
			.bind("month", checkedMonth.atDay(1))
			.bind("limit", checkedLimit + 1);
		if (after != null) {
			spec = spec.bind("afterTeam", after.key(0))
				.bind("afterAgent", after.key(1))
				.bind("afterCurrency", after.key(2));
		}
		return spec.map((row) -> {
			String team = value(row, "team_id", String.class);
			return new LateReplies(checkedMonth.toString(), team.isEmpty() ? null : team,
					value(row, "agent_id", String.class), value(row, "conversations", Long.class),
					value(row, "replies", Long.class), value(row, "cost", BigDecimal.class),
					value(row, "currency", String.class));
		})
			.all()
			.collectList()
			.map((rows) -> Page.of(rows, checkedLimit, (last) -> Cursor.of((last.teamId() != null) ? last.teamId() : "",
					last.agentId(), last.currency())));
	}

	/**
	 * The late replies of one agent in one team.
	 *
	 * @param month the month
	 * @param teamId the team, or null if the conversation was not assigned at the time
	 * @param agentId the agent who sent the reply
	 * @param conversations conversations answered after their window had expired
	 * @param lateReplies late replies sent
	 * @param cost what they cost, in the currency's units
	 * @param currency ISO 4217 code
	 */
	record LateReplies(String month, @Nullable String teamId, String agentId, long conversations, long lateReplies,
			BigDecimal cost, String currency) {

	}

}

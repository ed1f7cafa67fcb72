package dev.switchboard.routing.assignment;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Component;

import dev.switchboard.routing.Rows;
import dev.switchboard.support.consumer.BatchWrites;

/**
 * The statements of routing's assignments: the assignment table and the responses it
 * times. The {@link Dispatcher} decides; this only reads and writes, each in the caller's
 * transaction.
 */
@Component
class AssignmentStore {

	private final DatabaseClient database;

	private final Clock clock;

	AssignmentStore(DatabaseClient database, Clock clock) {
		this.database = database;
		this.clock = clock;
	}

	/**
	 * Serialises the tenant's assignment decisions until the transaction ends; a batch of
	 * events takes each tenant's lock once.
	 */
	Mono<Void> lockTenant(String tenantId) {
		return BatchWrites.once("routing.tenant-lock:" + tenantId,
				() -> this.database.sql("SELECT pg_advisory_xact_lock(hashtext('switchboard.routing:' || :tenant))")
					.bind("tenant", tenantId)
					.then());
	}

	/**
	 * Applies customers' messages to the open assignments among these conversations with
	 * one statement: each awaits a reply from its first message, its customer last wrote
	 * at the latest.
	 * @return the conversations that were open
	 */
	Flux<UUID> awaitReplies(List<Map.Entry<UUID, BatchAssignments.Span>> spans) {
		return this.database.sql("""
				UPDATE assignment a SET awaiting_since = COALESCE(a.awaiting_since, CAST(v.f AS timestamptz)),
				    last_customer_at = GREATEST(a.last_customer_at, CAST(v.l AS timestamptz)), updated_at = :now
				FROM unnest(CAST(:ids AS text[]), CAST(:first AS text[]), CAST(:last AS text[])) AS v(c, f, l)
				WHERE a.conversation_id = CAST(v.c AS uuid) AND a.state <> 'RESOLVED'
				RETURNING a.conversation_id""")
			.bind("ids", BatchWrites.column(spans, (span) -> span.getKey().toString()))
			.bind("first", BatchWrites.column(spans, (span) -> span.getValue().first().toString()))
			.bind("last", BatchWrites.column(spans, (span) -> span.getValue().last().toString()))
			.bind("now", now())
			.map((row) -> Objects.requireNonNull(row.get("conversation_id", UUID.class)))
			.all();
	}

	/**
	 * A customer's message to an open assignment: it awaits a reply (from its first
	 * unanswered message).
	 * @return whether the conversation had an open assignment
	 */
	Mono<Boolean> awaitReply(UUID conversationId, Instant sentAt) {
		return this.database.sql("""
				UPDATE assignment SET awaiting_since = COALESCE(awaiting_since, :sentAt),
				    last_customer_at = GREATEST(last_customer_at, :sentAt), updated_at = :now
				WHERE conversation_id = :id AND state <> 'RESOLVED'
				RETURNING state""")
			.bind("sentAt", Rows.utc(sentAt))
			.bind("now", now())
			.bind("id", conversationId)
			.map((row) -> Boolean.TRUE)
			.one()
			.defaultIfEmpty(Boolean.FALSE);
	}

	/**
	 * Reads and locks the assignments of these conversations, in id order.
	 */
	Flux<Map.Entry<UUID, Assignment>> lock(List<UUID> conversationIds) {
		return this.database.sql("""
				SELECT conversation_id, state, team_id, agent_id, awaiting_since FROM assignment
				WHERE conversation_id = ANY (CAST(:ids AS uuid[])) ORDER BY conversation_id FOR UPDATE""")
			.bind("ids", conversationIds.stream().map(UUID::toString).toArray(String[]::new))
			.map((row) -> Map.entry(Objects.requireNonNull(row.get("conversation_id", UUID.class)), assignment(row)))
			.all();
	}

	/** Reads and locks a conversation's assignment; empty if it has none. */
	Mono<Assignment> lock(UUID conversationId) {
		return this.database
			.sql("""
					SELECT state, team_id, agent_id, awaiting_since FROM assignment WHERE conversation_id = :id FOR UPDATE""")
			.bind("id", conversationId)
			.map(AssignmentStore::assignment)
			.one();
	}

	/** Reads and locks a conversation's assignment in this tenant; empty if none. */
	Mono<Assignment> lock(String tenantId, UUID conversationId) {
		return this.database.sql("""
				SELECT state, team_id, agent_id, awaiting_since FROM assignment
				WHERE conversation_id = :id AND tenant_id = :tenant FOR UPDATE""")
			.bind("id", conversationId)
			.bind("tenant", tenantId)
			.map(AssignmentStore::assignment)
			.one();
	}

	/**
	 * Writes new conversations' assignments, assigned or queued, and moves each team's
	 * round-robin cursor to the last agent it gave one to, with one statement.
	 */
	Mono<Void> insert(List<Opened> rows) {
		Map<List<String>, String> cursors = new LinkedHashMap<>();
		rows.stream()
			.filter((row) -> row.agentId() != null)
			.forEach((row) -> cursors.put(List.of(row.tenantId(), row.teamId()), row.agentId()));
		List<Map.Entry<List<String>, String>> moved = List.copyOf(cursors.entrySet());
		return this.database
			.sql("""
					WITH opened AS (
					    INSERT INTO assignment (conversation_id, tenant_id, team_id, agent_id, state, queued_at, assigned_at,
					                            awaiting_since, last_customer_at, updated_at)
					    SELECT CAST(c AS uuid), t, m, NULLIF(a, ''), CASE WHEN a = '' THEN 'QUEUED' ELSE 'ASSIGNED' END,
					           CASE WHEN a = '' THEN CAST(n AS timestamptz) END,
					           CASE WHEN a <> '' THEN CAST(n AS timestamptz) END,
					           CAST(f AS timestamptz), CAST(l AS timestamptz), CAST(n AS timestamptz)
					    FROM unnest(CAST(:ids AS text[]), CAST(:tenants AS text[]), CAST(:teams AS text[]),
					                CAST(:agents AS text[]), CAST(:at AS text[]), CAST(:first AS text[]),
					                CAST(:last AS text[])) AS r(c, t, m, a, n, f, l)
					    RETURNING conversation_id)
					UPDATE team SET last_agent_id = v.a
					FROM unnest(CAST(:cursorTenants AS text[]), CAST(:cursorTeams AS text[]),
					            CAST(:cursorAgents AS text[])) AS v(t, m, a)
					WHERE team.tenant_id = v.t AND team.team_id = v.m""")
			.bind("ids", BatchWrites.column(rows, (row) -> row.conversationId().toString()))
			.bind("tenants", BatchWrites.column(rows, Opened::tenantId))
			.bind("teams", BatchWrites.column(rows, Opened::teamId))
			.bind("agents", BatchWrites.column(rows, (row) -> Objects.requireNonNullElse(row.agentId(), "")))
			.bind("at", BatchWrites.column(rows, (row) -> row.at().toString()))
			.bind("first", BatchWrites.column(rows, (row) -> row.awaitingSince().toString()))
			.bind("last", BatchWrites.column(rows, (row) -> row.lastCustomerAt().toString()))
			.bind("cursorTenants", BatchWrites.column(moved, (cursor) -> cursor.getKey().get(0)))
			.bind("cursorTeams", BatchWrites.column(moved, (cursor) -> cursor.getKey().get(1)))
			.bind("cursorAgents", BatchWrites.column(moved, Map.Entry::getValue))
			.then();
	}

	/** Reads and locks what a reply answers; empty when no customer waits. */
	Mono<Waiting> lockWaiting(UUID conversationId) {
		return this.database.sql("""
				SELECT team_id, awaiting_since, last_customer_at FROM assignment
				WHERE conversation_id = :id AND awaiting_since IS NOT NULL FOR UPDATE""")
			.bind("id", conversationId)
			.map((row) -> new Waiting(row.get("team_id", String.class), Rows.instant(row, "awaiting_since"),
					Rows.instant(row, "last_customer_at")))
			.one();
	}

	/**
	 * Records the reply to a waiting customer (once per message) and stops the wait.
	 */
	Mono<Void> answered(Response response) {
		return this.database.sql("""
				INSERT INTO response (message_id, tenant_id, conversation_id, team_id, agent_id, customer_at,
				                      responded_at, within_window)
				VALUES (:message, :tenant, :id, :team, :agent, :customerAt, :respondedAt, :within)
				ON CONFLICT DO NOTHING""")
			.bind("message", response.messageId())
			.bind("tenant", response.tenantId())
			.bind("id", response.conversationId())
			.bind("team", Objects.requireNonNullElse(response.teamId(), ""))
			.bind("agent", response.agentId())
			.bind("customerAt", Rows.utc(response.customerAt()))
			.bind("respondedAt", Rows.utc(response.respondedAt()))
			.bind("within", response.withinWindow())
			.then()
			.then(this.database.sql(
					"UPDATE assignment SET awaiting_since = NULL, flagged_at = NULL, updated_at = :now WHERE conversation_id = :id")
				.bind("now", now())
				.bind("id", response.conversationId())
				.then());
	}

	/** The conversation is resolved: it leaves the queue and awaits nothing. */
	Mono<Void> resolve(UUID conversationId) {
		return this.database.sql("""
				UPDATE assignment SET state = 'RESOLVED', awaiting_since = NULL, queued_at = NULL,
				    updated_at = :now WHERE conversation_id = :id""")
			.bind("now", now())
			.bind("id", conversationId)
			.then();
	}

	/**
	 * Queues a resolved conversation again, awaiting a reply since the customer's message
	 * that reopened it (if a message did).
	 */
	Mono<Void> requeue(UUID conversationId, Instant at, @Nullable Instant customerAt) {
		return this.database.sql("""
				UPDATE assignment SET state = 'QUEUED', agent_id = NULL, queued_at = :now, assigned_at = NULL,
				    awaiting_since = COALESCE(:customerAt, awaiting_since),
				    last_customer_at = GREATEST(last_customer_at, COALESCE(:customerAt, last_customer_at)),
				    updated_at = :now
				WHERE conversation_id = :id""")
			.bind("id", conversationId)
			.bind("now", Rows.utc(at))
			.bindValues(Collections.singletonMap("customerAt",
					(customerAt != null) ? Rows.utc(customerAt) : Parameter.empty(OffsetDateTime.class)))
			.then();
	}

	/**
	 * Queues an agent's open conversations again.
	 * @return the conversations queued
	 */
	Flux<Queued> requeueAgent(String tenantId, String agentId) {
		return this.database.sql("""
				UPDATE assignment SET state = 'QUEUED', agent_id = NULL, queued_at = :now, updated_at = :now
				WHERE tenant_id = :tenant AND agent_id = :agent AND state = 'ASSIGNED'
				RETURNING conversation_id, team_id""")
			.bind("now", now())
			.bind("tenant", tenantId)
			.bind("agent", agentId)
			.map(AssignmentStore::queued)
			.all();
	}

	/** Flags the conversation to supervisors. */
	Mono<Void> flag(UUID conversationId) {
		return this.database
			.sql("UPDATE assignment SET flagged_at = :now, updated_at = :now WHERE conversation_id = :id")
			.bind("now", now())
			.bind("id", conversationId)
			.then();
	}

	/**
	 * Gives the conversation to the agent and moves the team's round-robin cursor to
	 * them, with one statement.
	 * @param requiredState the state it must be in, if any
	 * @return whether it was given
	 */
	Mono<Boolean> give(String tenantId, UUID conversationId, String teamId, String agentId, Instant at,
			@Nullable AssignmentState requiredState) {
		return this.database.sql("""
				WITH assigned AS (
				    UPDATE assignment SET state = 'ASSIGNED', agent_id = :agent, assigned_at = :now, queued_at = NULL,
				        flagged_at = NULL, updated_at = :now
				    WHERE conversation_id = :id AND tenant_id = :tenant
				""" + ((requiredState != null) ? " AND state = :required" : "") + """
				    RETURNING conversation_id),
				cursor AS (
				    UPDATE team SET last_agent_id = :agent
				    WHERE tenant_id = :tenant AND team_id = :team AND EXISTS (SELECT 1 FROM assigned))
				SELECT count(*) AS assigned FROM assigned""")
			.bind("agent", agentId)
			.bind("now", Rows.utc(at))
			.bind("id", conversationId)
			.bind("tenant", tenantId)
			.bind("team", teamId)
			.bindValues((requiredState != null) ? Map.of("required", requiredState.name()) : Map.of())
			.map((row) -> Objects.requireNonNull(row.get("assigned", Long.class)) == 1)
			.one();
	}

	/** The tenant's queued conversations, oldest first, at most 500. */
	Flux<Queued> oldestQueued(String tenantId) {
		return this.database.sql("""
				SELECT conversation_id, team_id FROM assignment
				WHERE tenant_id = :tenant AND state = 'QUEUED' ORDER BY queued_at, conversation_id LIMIT 500""")
			.bind("tenant", tenantId)
			.map(AssignmentStore::queued)
			.all();
	}

	/**
	 * Who has the conversation and whether its customer waits; empty if routing has never
	 * seen it in this tenant.
	 */
	Mono<AssignmentView> find(String tenantId, UUID conversationId) {
		return this.database.sql("""
				SELECT conversation_id, state, team_id, agent_id, queued_at, assigned_at, awaiting_since, flagged_at
				FROM assignment WHERE conversation_id = :id AND tenant_id = :tenant""")
			.bind("id", conversationId)
			.bind("tenant", tenantId)
			.map(AssignmentStore::view)
			.one();
	}

	/** A page of the tenant's queue (of one team, if given), oldest first. */
	Flux<AssignmentView> queue(String tenantId, @Nullable String teamId, int limit, @Nullable QueuePosition after) {
		DatabaseClient.GenericExecuteSpec query = this.database
			.sql("""
					SELECT conversation_id, state, team_id, agent_id, queued_at, assigned_at, awaiting_since, flagged_at
					FROM assignment WHERE tenant_id = :tenant AND state = 'QUEUED'
					""" + ((teamId != null) ? " AND team_id = :team" : "")
					+ ((after != null) ? " AND (queued_at, conversation_id) > (:afterAt, :afterId)" : "")
					+ " ORDER BY queued_at, conversation_id LIMIT :limit")
			.bind("tenant", tenantId)
			.bind("limit", limit);
		if (teamId != null) {
			query = query.bind("team", teamId);
		}
		if (after != null) {
			query = query.bind("afterAt", Rows.utc(after.queuedAt())).bind("afterId", after.conversationId());
		}
		return query.map(AssignmentStore::view).all();
	}

	private static Assignment assignment(Readable row) {
		String team = row.get("team_id", String.class);
		return new Assignment(AssignmentState.valueOf(Rows.text(row, "state")),
				(team == null || team.isEmpty()) ? null : team, row.get("agent_id", String.class),
				Rows.nullableInstant(row, "awaiting_since"));
	}

	private static Queued queued(Readable row) {
		return new Queued(Objects.requireNonNull(row.get("conversation_id", UUID.class)),
				Objects.requireNonNullElse(row.get("team_id", String.class), ""));
	}

	private static AssignmentView view(Readable row) {
		String team = row.get("team_id", String.class);
		return new AssignmentView(Objects.requireNonNull(row.get("conversation_id", UUID.class)).toString(),
				Rows.text(row, "state"), (team == null || team.isEmpty()) ? null : team,
				row.get("agent_id", String.class), Rows.nullableInstant(row, "queued_at"),
				Rows.nullableInstant(row, "assigned_at"), Rows.nullableInstant(row, "awaiting_since"),
				Rows.nullableInstant(row, "flagged_at"));
	}

	private OffsetDateTime now() {
		return Rows.utc(this.clock.instant());
	}

	/** A new conversation's assignment, as a batch decided it. */
	record Opened(UUID conversationId, String tenantId, String teamId, @Nullable String agentId, Instant at,
			Instant awaitingSince, Instant lastCustomerAt) {

	}

	/** What a reply answers: since when and until when the customer's window is open. */
	record Waiting(@Nullable String teamId, Instant awaitingSince, Instant lastCustomerAt) {

	}

	/** A reply to a waiting customer, timed. */
	record Response(String messageId, String tenantId, UUID conversationId, @Nullable String teamId, String agentId,
			Instant customerAt, Instant respondedAt, boolean withinWindow) {

	}

	/** A queued conversation and its team ({@code ""} for none). */
	record Queued(UUID conversationId, String teamId) {

	}

	/**
	 * Where a page of the queue ends.
	 *
	 * @param queuedAt the last item's queue time
	 * @param conversationId the last item's conversation, breaking ties
	 */
	record QueuePosition(Instant queuedAt, UUID conversationId) {

	}

}

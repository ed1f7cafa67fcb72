package dev.switchboard.routing.assignment;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Service;
import org.springframework.web.server.ResponseStatusException;

import dev.switchboard.events.ConversationAssigned;
import dev.switchboard.events.ConversationEscalated;
import dev.switchboard.events.ConversationQueued;
import dev.switchboard.events.ConversationStatusChanged;
import dev.switchboard.events.MessageReceived;
import dev.switchboard.events.MessageSent;
import dev.switchboard.events.SwitchboardEvent;
import dev.switchboard.routing.Rows;
import dev.switchboard.routing.team.Strategy;
import dev.switchboard.routing.team.Teams;
import dev.switchboard.routing.window.WindowProperties;
import dev.switchboard.support.consumer.BatchWrites;
import dev.switchboard.support.outbox.OutboxWriter;

/**
 * Decides who answers each conversation. Every decision that changes an assignment runs
 * under a transaction-scoped advisory lock of the tenant, so replicas of the service
 * decide one after the other and never give a conversation twice or an agent more than
 * their capacity; the conditional updates re-check state anyway. Callers run each method
 * in a transaction.
 */
@Service
public class Dispatcher {

	private final DatabaseClient database;

	private final OutboxWriter outbox;

	private final Teams teams;

	private final WindowProperties window;

	private final Clock clock;

	private final MeterRegistry meters;

	private final Function<List<Opened>, Mono<Void>> opener = this::insertOpened;

	Dispatcher(DatabaseClient database, OutboxWriter outbox, Teams teams, WindowProperties window, Clock clock,
			MeterRegistry meters) {
		this.database = database;
		this.outbox = outbox;
		this.teams = teams;
		this.window = window;
		this.clock = clock;
		this.meters = meters;
	}

	/**
	 * A new batch's assignments.
	 * @return the assignments of no event yet
	 */
	public BatchAssignments batch() {
		return new BatchAssignments();
	}

	/**
	 * Before a batch's events are applied: takes the lock of every tenant with a
	 * conversation that has nothing but customers' messages in the batch, in name order,
	 * and applies those messages to every such conversation that is open with one
	 * statement (it awaits a reply from the first of them, its customer last wrote at the
	 * latest): what {@link #customerWrote} would do to it message by message. Call it
	 * after the batch's windows are locked.
	 * @param batch the batch's assignments
	 * @param events the events to be applied
	 * @return completion
	 */
	public Mono<Void> prepare(BatchAssignments batch, List<SwitchboardEvent> events) {
		batch.clear();
		Map<UUID, BatchAssignments.Span> spans = BatchAssignments.onlyMessages(events);
		if (spans.isEmpty()) {
			return Mono.empty();
		}
		List<Map.Entry<UUID, BatchAssignments.Span>> ordered = List.copyOf(spans.entrySet());
		return Flux.fromIterable(BatchAssignments.tenants(spans))
			.concatMap(this::lockTenant)
			.then(this.database.sql("""
					UPDATE assignment a SET awaiting_since = COALESCE(a.awaiting_since, CAST(v.f AS timestamptz)),
					    last_customer_at = GREATEST(a.last_customer_at, CAST(v.l AS timestamptz)), updated_at = :now
					FROM unnest(CAST(:ids AS text[]), CAST(:first AS text[]), CAST(:last AS text[])) AS v(c, f, l)
					WHERE a.conversation_id = CAST(v.c AS uuid) AND a.state <> 'RESOLVED'
					RETURNING a.conversation_id""")
				.bind("ids", BatchWrites.column(ordered, (span) -> span.getKey().toString()))
				.bind("first", BatchWrites.column(ordered, (span) -> span.getValue().first().toString()))
				.bind("last", BatchWrites.column(ordered, (span) -> span.getValue().last().toString()))
				.bind("now", now())
				.map((row) -> Objects.requireNonNull(row.get("conversation_id", UUID.class)))
				.all()
				.doOnNext(batch::awaiting)
				.then(Mono.fromRunnable(() -> batch.notOpen(spans)))
				.then(Mono.defer(() -> findNotOpen(batch))));
	}

	/**
	 * Reads and locks, with one statement, the assignments of the batch's conversations
	 * that were not open (resolved; the others have none yet).
	 */
	private Mono<Void> findNotOpen(BatchAssignments batch) {
		String[] ids = batch.notOpen().stream().map(UUID::toString).toArray(String[]::new);
		if (ids.length == 0) {
			return Mono.empty();
		}
		return this.database.sql("""
				SELECT conversation_id, state, team_id, agent_id, awaiting_since FROM assignment
				WHERE conversation_id = ANY (CAST(:ids AS uuid[])) ORDER BY conversation_id FOR UPDATE""")
			.bind("ids", ids)
			.map((row) -> Map.entry(Objects.requireNonNull(row.get("conversation_id", UUID.class)), currentOf(row)))
			.all()
			.doOnNext((found) -> batch.found(found.getKey(), found.getValue()))
			.then();
	}

	/**
	 * A customer wrote: a new or resolved conversation is (re)assigned or queued; an open
	 * one now awaits a reply (already, when the batch's {@link #prepare} did it).
	 * @param received the message
	 * @param batch the batch's assignments
	 * @return completion
	 */
	public Mono<Void> customerWrote(MessageReceived received, BatchAssignments batch) {
		if (batch.awaiting(received)) {
			return Mono.empty();
		}
		UUID conversationId = UUID.fromString(received.conversationId());
		// The first message to a conversation the batch found new or resolved: its
		// assignment was read with the batch's, and it stands for the batch's others.
		BatchAssignments.Span span = batch.firstToNotOpen(received);
		if (span != null) {
			return lockTenant(received.tenantId())
				.then(reopenOrOpen(received, batch.foundOf(conversationId), span, batch));
		}
		// Most other messages continue an open conversation: one statement finds and
		// updates it.
		return flushOpened().then(lockTenant(received.tenantId()))
			.then(this.database.sql("""
					UPDATE assignment SET awaiting_since = COALESCE(awaiting_since, :sentAt),
					    last_customer_at = GREATEST(last_customer_at, :sentAt), updated_at = :now
					WHERE conversation_id = :id AND state <> 'RESOLVED'
					RETURNING state""")
				.bind("sentAt", Rows.utc(received.sentAt()))
				.bind("now", now())
				.bind("id", conversationId)
				.map((row) -> Boolean.TRUE)
				.one()
				.defaultIfEmpty(Boolean.FALSE))
			.flatMap((updated) -> updated ? Mono.empty() : optional(current(conversationId))
				.flatMap((existing) -> reopenOrOpen(received, existing, null, batch)));
	}

	/**
	 * A customer wrote to a conversation without an open assignment: a resolved one is
	 * queued again (and given out if someone is free), a new one is given to the online
	 * member its team's strategy picks, or queued.
	 * @param span the batch's messages to the conversation if they are all it has in the
	 * batch and this is the first
	 */
	private Mono<Void> reopenOrOpen(MessageReceived received, Optional<Current> existing,
			BatchAssignments.@Nullable Span span, BatchAssignments batch) {
		if (existing.isPresent()) {
			// Resolved: the customer reopened it.
			return flushOpened()
				.then(reopen(received.tenantId(), UUID.fromString(received.conversationId()), existing.get().teamId(),
						received.sentAt()))
				.doOnSuccess((ignored) -> batch.forgetTeams());
		}
		return this.teams
			.teamFor(received.tenantId(), received.waId(), received.text(),
					Objects.requireNonNullElse(received.contactLabels(), List.of()))
			.map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.flatMap((team) -> open(received, team.orElse(""), span, batch));
	}

	/**
	 * Opens a new conversation's assignment: given to the member of the team with spare
	 * capacity its strategy picks from the team's load as the batch left it, or queued
	 * when nobody is free. The assignment is written with the batch's others, with one
	 * statement before the commit ({@link #insertOpened}); when the batch's messages to
	 * the conversation are all it has in the batch, they are applied to it at once.
	 */
	private Mono<Void> open(MessageReceived received, String teamId, BatchAssignments.@Nullable Span span,
			BatchAssignments batch) {
		String tenantId = received.tenantId();
		Optional<TeamLoad> known = batch.team(tenantId, teamId);
		// A load is read from agent_load, which the batch's assignments change only once
		// they are written.
		Mono<Optional<TeamLoad>> load = (known != null) ? Mono.just(known)
				: flushOpened().then(optional(team(tenantId, teamId)))
					.doOnNext((read) -> batch.team(tenantId, teamId, read));
		UUID conversationId = UUID.fromString(received.conversationId());
		return load.flatMap((team) -> {
			Instant now = this.clock.instant();
			String agent = team.map((members) -> members.choose(null)).orElse(null);
			Mono<Void> written = BatchWrites.add(this.opener, new Opened(conversationId, tenantId, teamId, agent, now,
					received.sentAt(), (span != null) ? span.last() : received.sentAt()));
			if (span != null) {
				batch.awaiting(conversationId);
			}
			if (agent == null) {
				return written.then(this.outbox.append(new ConversationQueued(tenantId, conversationId.toString(),
						teamId, "NO_AGENT_AVAILABLE", null, now)));
			}
			batch.assigned(tenantId, teamId, agent, now);
			return written
				.then(this.outbox.append(new ConversationAssigned(tenantId, conversationId.toString(), agent, teamId,
						"AUTO", null, now)))
				.doOnSuccess((ignored) -> this.meters.counter("switchboard.routing.assignments", "reason", "AUTO")
					.increment());
		});
	}

	/**
	 * Writes the new conversations' assignments, assigned or queued, and moves each
	 * team's round-robin cursor to the last agent it gave one to, with one statement.
	 */
	private Mono<Void> insertOpened(List<Opened> rows) {
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

	/**
	 * Writes the batch's new assignments now, before a statement that reads assignments
	 * or agents' loads; nothing outside a batch.
	 */
	private Mono<Void> flushOpened() {
		return BatchWrites.writeNow(this.opener);
	}

	private static <T> Mono<Optional<T>> optional(Mono<T> value) {
		return value.map(Optional::of).defaultIfEmpty(Optional.empty());
	}

	/**
	 * An agent's message went out: a waiting customer got their reply.
	 * @param sent the message
	 * @return completion
	 */
	public Mono<Void> agentReplied(MessageSent sent) {
		UUID conversationId = UUID.fromString(sent.conversationId());
		return flushOpened().then(this.database.sql("""
				SELECT team_id, awaiting_since, last_customer_at FROM assignment
				WHERE conversation_id = :id AND awaiting_since IS NOT NULL FOR UPDATE""")
			.bind("id", conversationId)
			.map((row) -> new Waiting(row.get("team_id", String.class), Rows.instant(row, "awaiting_since"),
					Rows.instant(row, "last_customer_at")))
			.one()
			.flatMap((waiting) -> {
				boolean withinWindow = sent.sentAt().isBefore(waiting.lastCustomerAt().plus(this.window.length()));
				String team = Objects.requireNonNullElse(waiting.teamId(), "none");
				Timer.builder("switchboard.routing.first.response")
					.description("From a customer's first unanswered message to the agent's reply")
					.tags("team", team)
					.publishPercentileHistogram()
					.register(this.meters)
					.record(Duration.between(waiting.awaitingSince(), sent.sentAt()).abs());
				this.meters
					.counter("switchboard.routing.responses", "team", team, "agent", sent.agentId(), "within_window",
							Boolean.toString(withinWindow))
					.increment();
				return this.database.sql("""
						INSERT INTO response (message_id, tenant_id, conversation_id, team_id, agent_id, customer_at,
						                      responded_at, within_window)
						VALUES (:message, :tenant, :id, :team, :agent, :customerAt, :respondedAt, :within)
						ON CONFLICT DO NOTHING""")
					.bind("message", sent.messageId())
					.bind("tenant", sent.tenantId())
					.bind("id", conversationId)
					.bind("team", Objects.requireNonNullElse(waiting.teamId(), ""))
					.bind("agent", sent.agentId())
					.bind("customerAt", Rows.utc(waiting.awaitingSince()))
					.bind("respondedAt", Rows.utc(sent.sentAt()))
					.bind("within", withinWindow)
					.then()
					.then(this.database.sql(
							"UPDATE assignment SET awaiting_since = NULL, flagged_at = NULL, updated_at = :now WHERE conversation_id = :id")
						.bind("now", now())
						.bind("id", conversationId)
						.then());
			}));
	}

	/**
	 * The inbox resolved or reopened a conversation.
	 * @param changed the change
	 * @param batch the batch's assignments
	 * @return completion
	 */
	public Mono<Void> statusChanged(ConversationStatusChanged changed, BatchAssignments batch) {
		return flushOpened().then(statusChanged(changed)).doOnSuccess((ignored) -> batch.forgetTeams());
	}

	private Mono<Void> statusChanged(ConversationStatusChanged changed) {
		UUID conversationId = UUID.fromString(changed.conversationId());
		return lockTenant(changed.tenantId()).then(current(conversationId)).flatMap((row) -> {
			if ("RESOLVED".equals(changed.status()) && !"RESOLVED".equals(row.state())) {
				return this.database.sql("""
						UPDATE assignment SET state = 'RESOLVED', awaiting_since = NULL, queued_at = NULL,
						    updated_at = :now WHERE conversation_id = :id""")
					.bind("now", now())
					.bind("id", conversationId)
					.then()
					.then(drainLocked(changed.tenantId()));
			}
			if (!"RESOLVED".equals(changed.status()) && "RESOLVED".equals(row.state())) {
				return reopen(changed.tenantId(), conversationId, row.teamId(), null);
			}
			return Mono.empty();
		});
	}

	/**
	 * Gives queued conversations, oldest first, to agents with spare capacity.
	 * @param tenantId the tenant
	 * @return completion
	 */
	public Mono<Void> drain(String tenantId) {
		return lockTenant(tenantId).then(drainLocked(tenantId));
	}

	/**
	 * An agent went offline: their open conversations go back to the queue (and on to
	 * colleagues where there are any).
	 * @param tenantId the tenant
	 * @param agentId the agent
	 * @return completion
	 */
	public Mono<Void> requeue(String tenantId, String agentId) {
		return lockTenant(tenantId).then(this.database.sql("""
				UPDATE assignment SET state = 'QUEUED', agent_id = NULL, queued_at = :now, updated_at = :now
				WHERE tenant_id = :tenant AND agent_id = :agent AND state = 'ASSIGNED'
				RETURNING conversation_id, team_id""")
			.bind("now", now())
			.bind("tenant", tenantId)
			.bind("agent", agentId)
			.map((row) -> new ConversationQueued(tenantId,
					Objects.requireNonNull(row.get("conversation_id", UUID.class)).toString(),
					Objects.requireNonNullElse(row.get("team_id", String.class), ""), "AGENT_OFFLINE", agentId,
					this.clock.instant()))
			.all()
			.concatMap(this.outbox::append)
			.then(drainLocked(tenantId)));
	}

	/**
	 * An ADMIN gives a conversation to an agent (assignment or transfer).
	 * @param tenantId the tenant
	 * @param conversationId the conversation
	 * @param agentId the agent
	 * @return the assignment
	 */
	Mono<AssignmentView> assign(String tenantId, UUID conversationId, String agentId) {
		return lockTenant(tenantId).then(currentOf(tenantId, conversationId))
			.flatMap((row) -> requireAgent(tenantId, agentId).then(Mono.defer(() -> {
				if ("ASSIGNED".equals(row.state()) && agentId.equals(row.agentId())) {
					return Mono.<Void>empty();
				}
				return give(tenantId, conversationId, Objects.requireNonNullElse(row.teamId(), ""), agentId,
						(row.agentId() != null && "ASSIGNED".equals(row.state())) ? "TRANSFER" : "MANUAL",
						"ASSIGNED".equals(row.state()) ? row.agentId() : null, null);
			})))
			.then(find(tenantId, conversationId));
	}

	/**
	 * An agent takes a queued conversation of one of their teams.
	 * @param tenantId the tenant
	 * @param conversationId the conversation
	 * @param agentId the agent
	 * @return the assignment
	 */
	Mono<AssignmentView> take(String tenantId, UUID conversationId, String agentId) {
		return lockTenant(tenantId).then(currentOf(tenantId, conversationId)).flatMap((row) -> {
			if (!"QUEUED".equals(row.state())) {
				return Mono.error(new ResponseStatusException(HttpStatus.CONFLICT,
						"Conversation " + conversationId + " is " + row.state() + ", not queued"));
			}
			return this.database.sql("""
					SELECT a.capacity,
					       COALESCE((SELECT l.open_count FROM agent_load l
					          WHERE l.tenant_id = a.tenant_id AND l.agent_id = a.agent_id), 0) AS open_count,
					       EXISTS (SELECT 1 FROM team_member m WHERE m.tenant_id = a.tenant_id
					          AND m.agent_id = a.agent_id AND m.team_id = :team) AS member
					FROM agent a WHERE a.tenant_id = :tenant AND a.agent_id = :agent""")
				.bind("team", Objects.requireNonNullElse(row.teamId(), ""))
				.bind("tenant", tenantId)
				.bind("agent", agentId)
				.map((r) -> new Capacity(Objects.requireNonNull(r.get("capacity", Integer.class)),
						Objects.requireNonNull(r.get("open_count", Long.class)),
						Boolean.TRUE.equals(r.get("member", Boolean.class))))
				.one()
				.switchIfEmpty(Mono.error(new ResponseStatusException(HttpStatus.FORBIDDEN,
						"Only an agent of the conversation's team may take it; set your presence first")))
				.flatMap((capacity) -> {
					if (!capacity.member()) {
						return Mono
							.error(new ResponseStatusException(HttpStatus.FORBIDDEN, "Conversation " + conversationId
									+ " belongs to team " + row.teamId() + ", which you are not a member of"));
					}
					if (capacity.open() >= capacity.capacity()) {
						return Mono.error(new ResponseStatusException(HttpStatus.CONFLICT, "You already have "
								+ capacity.open() + " open conversations, your capacity is " + capacity.capacity()));
					}
					return give(tenantId, conversationId, Objects.requireNonNullElse(row.teamId(), ""), agentId,
							"TAKEN", null, null);
				});
		}).then(find(tenantId, conversationId));
	}

	/**
	 * The window is closing with the customer unanswered: hand the conversation to
	 * another online agent of the team with spare capacity, or flag it to supervisors.
	 * @param tenantId the tenant
	 * @param conversationId the conversation
	 * @return completion
	 */
	public Mono<Void> escalate(String tenantId, UUID conversationId) {
		return lockTenant(tenantId).then(current(conversationId)).flatMap((row) -> {
			if (row.awaitingSince() == null || "RESOLVED".equals(row.state())) {
				return Mono.<Void>empty();
			}
			String team = Objects.requireNonNullElse(row.teamId(), "");
			return optional(pick(tenantId, team, row.agentId()))
				.flatMap((picked) -> picked
					.map((agent) -> give(tenantId, conversationId, team, agent, "ESCALATED", row.agentId(), null)
						.then(this.outbox.append(new ConversationEscalated(tenantId, conversationId.toString(), team,
								row.agentId(), agent, this.clock.instant()))))
					.orElseGet(() -> this.database
						.sql("UPDATE assignment SET flagged_at = :now, updated_at = :now WHERE conversation_id = :id")
						.bind("now", now())
						.bind("id", conversationId)
						.then()
						.then(this.outbox.append(new ConversationEscalated(tenantId, conversationId.toString(), team,
								row.agentId(), null, this.clock.instant())))))
				.doOnSuccess(
						(ignored) -> this.meters.counter("switchboard.routing.escalations", "team", team).increment());
		});
	}

	/**
	 * Who has the conversation and whether its customer waits.
	 * @param tenantId the tenant
	 * @param conversationId the conversation
	 * @return the assignment, empty if routing has never seen it in this tenant
	 */
	public Mono<AssignmentView> find(String tenantId, UUID conversationId) {
		return this.database.sql("""
				SELECT conversation_id, state, team_id, agent_id, queued_at, assigned_at, awaiting_since, flagged_at
				FROM assignment WHERE conversation_id = :id AND tenant_id = :tenant""")
			.bind("id", conversationId)
			.bind("tenant", tenantId)
			.map(Dispatcher::view)
			.one();
	}

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
		return query.map(Dispatcher::view).all();
	}

	/**
	 * Queues a resolved conversation again, awaiting a reply since the customer's message
	 * that reopened it (if a message did), and gives it out if someone is free.
	 */
	private Mono<Void> reopen(String tenantId, UUID conversationId, @Nullable String teamId,
			@Nullable Instant customerAt) {
		Instant now = this.clock.instant();
		Mono<Void> write = this.database.sql("""
				UPDATE assignment SET state = 'QUEUED', agent_id = NULL, queued_at = :now, assigned_at = NULL,
				    awaiting_since = COALESCE(:customerAt, awaiting_since),
				    last_customer_at = GREATEST(last_customer_at, COALESCE(:customerAt, last_customer_at)),
				    updated_at = :now
				WHERE conversation_id = :id""")
			.bind("id", conversationId)
			.bind("now", Rows.utc(now))
			.bindValues(Collections.singletonMap("customerAt",
					(customerAt != null) ? Rows.utc(customerAt) : Parameter.empty(OffsetDateTime.class)))
			.then();
		String team = Objects.requireNonNullElse(teamId, "");
		return write.then(optional(pick(tenantId, team, null)))
			.flatMap((picked) -> picked.map((agent) -> give(tenantId, conversationId, team, agent, "AUTO", null, null))
				.orElseGet(() -> this.outbox.append(new ConversationQueued(tenantId, conversationId.toString(), team,
						"NO_AGENT_AVAILABLE", null, now))));
	}

	private Mono<Void> drainLocked(String tenantId) {
		return this.database.sql("""
				SELECT conversation_id, team_id FROM assignment
				WHERE tenant_id = :tenant AND state = 'QUEUED' ORDER BY queued_at, conversation_id LIMIT 500""")
			.bind("tenant", tenantId)
			.map((row) -> new Queued(Objects.requireNonNull(row.get("conversation_id", UUID.class)),
					Objects.requireNonNullElse(row.get("team_id", String.class), "")))
			.all()
			.collectList()
			.flatMapMany(Flux::fromIterable)
			.concatMap((queued) -> pick(tenantId, queued.teamId(), null).flatMap(
					(agent) -> give(tenantId, queued.conversationId(), queued.teamId(), agent, "AUTO", null, "QUEUED")))
			.then();
	}

	/**
	 * The online member of a team with spare capacity the team's strategy picks.
	 */
	private Mono<String> pick(String tenantId, String teamId, @Nullable String excluded) {
		return team(tenantId, teamId).flatMap((team) -> Mono.justOrEmpty(team.choose(excluded)));
	}

	/**
	 * The team's strategy and cursor with its online members' loads, read with one
	 * statement; empty when the tenant has no such team.
	 */
	private Mono<TeamLoad> team(String tenantId, String teamId) {
		// The team on every row, with its online members (none: one row without an
		// agent).
		return this.database.sql("""
				SELECT t.strategy, t.last_agent_id, c.agent_id, c.open_count, c.last_assigned_at, c.capacity
				FROM team t
				LEFT JOIN (SELECT m.tenant_id, m.team_id, a.agent_id, COALESCE(l.open_count, 0) AS open_count,
				                  l.last_assigned_at, a.capacity
				           FROM team_member m JOIN agent a ON a.tenant_id = m.tenant_id AND a.agent_id = m.agent_id
				           LEFT JOIN agent_load l ON l.tenant_id = a.tenant_id AND l.agent_id = a.agent_id
				           WHERE a.presence = 'ONLINE') c ON c.tenant_id = t.tenant_id AND c.team_id = t.team_id
				WHERE t.tenant_id = :tenant AND t.team_id = :team
				ORDER BY c.agent_id""")
			.bind("tenant", tenantId)
			.bind("team", teamId)
			.map((row) -> new CandidateRow(
					new TeamCursor(Strategy.valueOf(Rows.text(row, "strategy")),
							row.get("last_agent_id", String.class)),
					(row.get("agent_id", String.class) != null) ? new Candidate(Rows.text(row, "agent_id"),
							Objects.requireNonNull(row.get("open_count", Long.class)),
							Rows.nullableInstant(row, "last_assigned_at"),
							Objects.requireNonNull(row.get("capacity", Integer.class))) : null))
			.all()
			.collectList()
			.flatMap((rows) -> rows.isEmpty() ? Mono.empty() : Mono.just(new TeamLoad(rows.getFirst().team(),
					rows.stream().map(CandidateRow::candidate).filter(Objects::nonNull).toList())));
	}

	static @Nullable String choose(TeamCursor team, List<Candidate> candidates) {
		if (candidates.isEmpty()) {
			return null;
		}
		if (team.strategy() == Strategy.ROUND_ROBIN) {
			String last = team.lastAgentId();
			return candidates.stream()
				.map(Candidate::agentId)
				.filter((agent) -> last == null || agent.compareTo(last) > 0)
				.findFirst()
				.orElse(candidates.getFirst().agentId());
		}
		return candidates.stream()
			.sorted(Comparator.comparingLong(Candidate::open)
				.thenComparing(Candidate::lastAssignedAt, Comparator.nullsFirst(Comparator.naturalOrder()))
				.thenComparing(Candidate::agentId))
			.findFirst()
			.map(Candidate::agentId)
			.orElse(null);
	}

	private Mono<Void> give(String tenantId, UUID conversationId, String teamId, String agentId, String reason,
			@Nullable String previousAgentId, @Nullable String requiredState) {
		Instant now = this.clock.instant();
		// One statement: the assignment, and the team's round-robin cursor when it was
		// made.
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
			.bind("now", Rows.utc(now))
			.bind("id", conversationId)
			.bind("tenant", tenantId)
			.bind("team", teamId)
			.bindValues((requiredState != null) ? Map.of("required", requiredState) : Map.of())
			.map((row) -> Objects.requireNonNull(row.get("assigned", Long.class)))
			.one()
			.filter((updated) -> updated == 1)
			.flatMap((updated) -> this.outbox.append(new ConversationAssigned(tenantId, conversationId.toString(),
					agentId, teamId, reason, previousAgentId, now)))
			.doOnSuccess(
					(ignored) -> this.meters.counter("switchboard.routing.assignments", "reason", reason).increment());
	}

	private Mono<Void> requireAgent(String tenantId, String agentId) {
		return this.database.sql("SELECT 1 FROM agent WHERE tenant_id = :tenant AND agent_id = :agent")
			.bind("tenant", tenantId)
			.bind("agent", agentId)
			.map((row) -> true)
			.one()
			.switchIfEmpty(Mono.error(new ResponseStatusException(HttpStatus.UNPROCESSABLE_CONTENT,
					"No agent " + agentId + " in this tenant")))
			.then();
	}

	/**
	 * Serialises the tenant's assignment decisions until the transaction ends; a batch of
	 * events takes each tenant's lock once.
	 */
	private Mono<Void> lockTenant(String tenantId) {
		return BatchWrites.once("routing.tenant-lock:" + tenantId,
				() -> this.database.sql("SELECT pg_advisory_xact_lock(hashtext('switchboard.routing:' || :tenant))")
					.bind("tenant", tenantId)
					.then());
	}

	private Mono<Current> current(UUID conversationId) {
		return this.database
			.sql("""
					SELECT state, team_id, agent_id, awaiting_since FROM assignment WHERE conversation_id = :id FOR UPDATE""")
			.bind("id", conversationId)
			.map(Dispatcher::currentOf)
			.one();
	}

	private Mono<Current> currentOf(String tenantId, UUID conversationId) {
		return this.database.sql("""
				SELECT state, team_id, agent_id, awaiting_since FROM assignment
				WHERE conversation_id = :id AND tenant_id = :tenant FOR UPDATE""")
			.bind("id", conversationId)
			.bind("tenant", tenantId)
			.map(Dispatcher::currentOf)
			.one()
			.switchIfEmpty(Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND,
					"No conversation " + conversationId + " in this tenant's routing")));
	}

	private static Current currentOf(Readable row) {
		String team = row.get("team_id", String.class);
		return new Current(Rows.text(row, "state"), (team == null || team.isEmpty()) ? null : team,
				row.get("agent_id", String.class), Rows.nullableInstant(row, "awaiting_since"));
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

	/** A new conversation's assignment, as the batch decided it. */
	private record Opened(UUID conversationId, String tenantId, String teamId, @Nullable String agentId, Instant at,
			Instant awaitingSince, Instant lastCustomerAt) {

	}

	record Current(String state, @Nullable String teamId, @Nullable String agentId, @Nullable Instant awaitingSince) {

	}

	private record Waiting(@Nullable String teamId, Instant awaitingSince, Instant lastCustomerAt) {

	}

	private record Queued(UUID conversationId, String teamId) {

	}

	private record Capacity(int capacity, long open, boolean member) {

	}

	record TeamCursor(Strategy strategy, @Nullable String lastAgentId) {

	}

	record Candidate(String agentId, long open, @Nullable Instant lastAssignedAt, int capacity) {

	}

	/**
	 * A team's strategy and cursor with its online members' loads.
	 *
	 * @param cursor the strategy and the member given the team's last conversation
	 * @param members the online members, in id order
	 */
	record TeamLoad(TeamCursor cursor, List<Candidate> members) {

		/**
		 * @param excluded an agent not to pick, if any
		 * @return the member with spare capacity the strategy picks, {@code null} for
		 * none
		 */
		@Nullable String choose(@Nullable String excluded) {
			return Dispatcher.choose(this.cursor,
					this.members.stream()
						.filter((member) -> member.open() < member.capacity() && !member.agentId().equals(excluded))
						.toList());
		}

		/**
		 * @param agentId the agent given a conversation
		 * @param at when
		 * @param byThisTeam whether it was this team's conversation (its cursor moves on)
		 * @return the load after it
		 */
		TeamLoad assigned(String agentId, Instant at, boolean byThisTeam) {
			List<Candidate> after = this.members.stream()
				.map((member) -> member.agentId().equals(agentId) ? new Candidate(agentId, member.open() + 1,
						(member.lastAssignedAt() == null || member.lastAssignedAt().isBefore(at)) ? at
								: member.lastAssignedAt(),
						member.capacity()) : member)
				.toList();
			return new TeamLoad(byThisTeam ? new TeamCursor(this.cursor.strategy(), agentId) : this.cursor, after);
		}

	}

	private record CandidateRow(TeamCursor team, @Nullable Candidate candidate) {

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

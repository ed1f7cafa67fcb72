package dev.switchboard.routing.assignment;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Service;

import dev.switchboard.events.ConversationAssigned;
import dev.switchboard.events.ConversationEscalated;
import dev.switchboard.events.ConversationQueued;
import dev.switchboard.events.ConversationStatusChanged;
import dev.switchboard.events.MessageReceived;
import dev.switchboard.events.MessageSent;
import dev.switchboard.events.SwitchboardEvent;
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

	private final AssignmentStore assignments;

	private final TeamLoads loads;

	private final Handover handover;

	private final OutboxWriter outbox;

	private final Teams teams;

	private final WindowProperties window;

	private final Clock clock;

	private final MeterRegistry meters;

	private final Function<List<AssignmentStore.Opened>, Mono<Void>> opener;

	Dispatcher(AssignmentStore assignments, TeamLoads loads, Handover handover, OutboxWriter outbox, Teams teams,
			WindowProperties window, Clock clock, MeterRegistry meters) {
		this.assignments = assignments;
		this.loads = loads;
		this.handover = handover;
		this.outbox = outbox;
		this.teams = teams;
		this.window = window;
		this.clock = clock;
		this.meters = meters;
		this.opener = assignments::insert;
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
	 * latest): what {@link #customerWrote} would do to it message by message. Then reads
	 * and locks, with one statement, the assignments of the others (resolved; the rest
	 * have none yet). Call it after the batch's windows are locked.
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
		return Flux.fromIterable(BatchAssignments.tenants(spans))
			.concatMap(this.assignments::lockTenant)
			.thenMany(this.assignments.awaitReplies(List.copyOf(spans.entrySet())))
			.doOnNext(batch::awaiting)
			.then(Mono.fromRunnable(() -> batch.notOpen(spans)))
			.then(Mono.defer(() -> batch.notOpen().isEmpty() ? Mono.empty()
					: this.assignments.lock(List.copyOf(batch.notOpen()))
						.doOnNext((found) -> batch.found(found.getKey(), found.getValue()))
						.then()));
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
			return this.assignments.lockTenant(received.tenantId())
				.then(reopenOrOpen(received, batch.foundOf(conversationId), span, batch));
		}
		// Most other messages continue an open conversation: one statement finds and
		// updates it.
		return flushOpened().then(this.assignments.lockTenant(received.tenantId()))
			.then(this.assignments.awaitReply(conversationId, received.sentAt()))
			.flatMap((updated) -> updated ? Mono.empty() : optional(this.assignments.lock(conversationId))
				.flatMap((existing) -> reopenOrOpen(received, existing, null, batch)));
	}

	/**
	 * A customer wrote to a conversation without an open assignment: a resolved one is
	 * queued again (and given out if someone is free), a new one is given to the online
	 * member its team's strategy picks, or queued.
	 * @param span the batch's messages to the conversation if they are all it has in the
	 * batch and this is the first
	 */
	private Mono<Void> reopenOrOpen(MessageReceived received, Optional<Assignment> existing,
			BatchAssignments.@Nullable Span span, BatchAssignments batch) {
		if (existing.isPresent()) {
			// Resolved: the customer reopened it.
			return flushOpened()
				.then(reopen(received.tenantId(), UUID.fromString(received.conversationId()), existing.get().team(),
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
	 * statement before the commit ({@link AssignmentStore#insert}); when the batch's
	 * messages to the conversation are all it has in the batch, they are applied to it at
	 * once.
	 */
	private Mono<Void> open(MessageReceived received, String teamId, BatchAssignments.@Nullable Span span,
			BatchAssignments batch) {
		String tenantId = received.tenantId();
		Optional<TeamLoad> known = batch.team(tenantId, teamId);
		// A load is read from agent_load, which the batch's assignments change only once
		// they are written.
		Mono<Optional<TeamLoad>> load = (known != null) ? Mono.just(known)
				: flushOpened().then(optional(this.loads.of(tenantId, teamId)))
					.doOnNext((read) -> batch.team(tenantId, teamId, read));
		UUID conversationId = UUID.fromString(received.conversationId());
		return load.flatMap((team) -> {
			Instant now = this.clock.instant();
			String agent = team.map((members) -> members.choose(null)).orElse(null);
			Mono<Void> written = BatchWrites.add(this.opener, new AssignmentStore.Opened(conversationId, tenantId,
					teamId, agent, now, received.sentAt(), (span != null) ? span.last() : received.sentAt()));
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
		return flushOpened().then(this.assignments.lockWaiting(conversationId)).flatMap((waiting) -> {
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
			return this.assignments
				.answered(new AssignmentStore.Response(sent.messageId(), sent.tenantId(), conversationId,
						waiting.teamId(), sent.agentId(), waiting.awaitingSince(), sent.sentAt(), withinWindow));
		});
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
		boolean resolved = AssignmentState.RESOLVED.name().equals(changed.status());
		return this.assignments.lockTenant(changed.tenantId())
			.then(this.assignments.lock(conversationId))
			.flatMap((current) -> {
				if (resolved && !current.resolved()) {
					return this.assignments.resolve(conversationId).then(drainLocked(changed.tenantId()));
				}
				if (!resolved && current.resolved()) {
					return reopen(changed.tenantId(), conversationId, current.team(), null);
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
		return this.assignments.lockTenant(tenantId).then(drainLocked(tenantId));
	}

	/**
	 * An agent went offline: their open conversations go back to the queue (and on to
	 * colleagues where there are any).
	 * @param tenantId the tenant
	 * @param agentId the agent
	 * @return completion
	 */
	public Mono<Void> requeue(String tenantId, String agentId) {
		return this.assignments.lockTenant(tenantId)
			.thenMany(this.assignments.requeueAgent(tenantId, agentId))
			.map((queued) -> new ConversationQueued(tenantId, queued.conversationId().toString(), queued.teamId(),
					"AGENT_OFFLINE", agentId, this.clock.instant()))
			.concatMap(this.outbox::append)
			.then(drainLocked(tenantId));
	}

	/**
	 * The window is closing with the customer unanswered: hand the conversation to
	 * another online agent of the team with spare capacity, or flag it to supervisors.
	 * @param tenantId the tenant
	 * @param conversationId the conversation
	 * @return completion
	 */
	public Mono<Void> escalate(String tenantId, UUID conversationId) {
		return this.assignments.lockTenant(tenantId).then(this.assignments.lock(conversationId)).flatMap((current) -> {
			if (current.awaitingSince() == null || current.resolved()) {
				return Mono.<Void>empty();
			}
			String team = current.team();
			return optional(this.handover.pick(tenantId, team, current.agentId()))
				.flatMap((picked) -> picked
					.map((agent) -> this.handover
						.give(tenantId, conversationId, team, agent, "ESCALATED", current.agentId(), null)
						.then(this.outbox.append(new ConversationEscalated(tenantId, conversationId.toString(), team,
								current.agentId(), agent, this.clock.instant()))))
					.orElseGet(() -> this.assignments.flag(conversationId)
						.then(this.outbox.append(new ConversationEscalated(tenantId, conversationId.toString(), team,
								current.agentId(), null, this.clock.instant())))))
				.doOnSuccess(
						(ignored) -> this.meters.counter("switchboard.routing.escalations", "team", team).increment());
		});
	}

	/**
	 * Queues a resolved conversation again, awaiting a reply since the customer's message
	 * that reopened it (if a message did), and gives it out if someone is free.
	 */
	private Mono<Void> reopen(String tenantId, UUID conversationId, String team, @Nullable Instant customerAt) {
		Instant now = this.clock.instant();
		return this.assignments.requeue(conversationId, now, customerAt)
			.then(optional(this.handover.pick(tenantId, team, null)))
			.flatMap((picked) -> picked
				.map((agent) -> this.handover.give(tenantId, conversationId, team, agent, "AUTO", null, null))
				.orElseGet(() -> this.outbox.append(new ConversationQueued(tenantId, conversationId.toString(), team,
						"NO_AGENT_AVAILABLE", null, now))));
	}

	private Mono<Void> drainLocked(String tenantId) {
		return this.assignments.oldestQueued(tenantId)
			.collectList()
			.flatMapMany(Flux::fromIterable)
			.concatMap((queued) -> this.handover.pick(tenantId, queued.teamId(), null)
				.flatMap((agent) -> this.handover.give(tenantId, queued.conversationId(), queued.teamId(), agent,
						"AUTO", null, AssignmentState.QUEUED)))
			.then();
	}

}

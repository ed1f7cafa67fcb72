package dev.switchboard.inbox.conversation;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

import dev.switchboard.events.ConversationStatusChanged;
import dev.switchboard.support.outbox.OutboxWriter;
import dev.switchboard.events.Role;
import dev.switchboard.support.web.Caller;
import dev.switchboard.support.web.Cursors;
import dev.switchboard.support.web.TimeCursor;

/**
 * The shared inbox: the conversation list with its filters, message history, and the
 * conversation's status. Chats are never deleted.
 */
@RestController
class ConversationController {

	private final ConversationRepository conversations;

	private final DatabaseClient database;

	private final OutboxWriter outbox;

	private final TransactionalOperator transactions;

	private final Clock clock;

	ConversationController(ConversationRepository conversations, DatabaseClient database, OutboxWriter outbox,
			TransactionalOperator transactions, Clock clock) {
		this.conversations = conversations;
		this.database = database;
		this.outbox = outbox;
		this.transactions = transactions;
		this.clock = clock;
	}

	/**
	 * Conversations, most recent first, filtered.
	 * @param caller any member
	 * @param limit page size (1 to 100)
	 * @param cursor the previous page's {@code nextCursor}
	 * @param status {@code OPEN}, {@code PENDING} or {@code RESOLVED}
	 * @param unread only those with unread messages
	 * @param label a label name
	 * @param assignee an agent, {@code me}, or {@code none} (unassigned)
	 * @param contact a contact id
	 * @param q words in the conversation's messages
	 * @return a page
	 */
	@Operation(operationId = "listConversations", summary = "List conversations, most recent first")
	@GetMapping("/api/v1/conversations")
	Mono<Page<ConversationView>> list(Caller caller, @RequestParam(defaultValue = "20") int limit,
			@RequestParam(required = false) @Nullable String cursor,
			@RequestParam(required = false) @Nullable String status,
			@RequestParam(defaultValue = "false") boolean unread,
			@RequestParam(required = false) @Nullable String label,
			@RequestParam(required = false) @Nullable String assignee,
			@RequestParam(required = false) @Nullable UUID contact,
			@RequestParam(required = false) @Nullable String q) {
		caller.requireAny(Role.OWNER, Role.ADMIN, Role.AGENT);
		if (status != null && !status.matches("OPEN|PENDING|RESOLVED")) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "status must be OPEN, PENDING or RESOLVED");
		}
		boolean unassigned = "none".equals(assignee);
		String who = unassigned ? null : "me".equals(assignee) ? caller.subject() : assignee;
		ConversationFilter filter = new ConversationFilter(status, unread, label, who, unassigned, contact,
				(q != null && !q.isBlank()) ? q : null);
		return this.conversations.list(caller.tenantId(), filter, Cursors.limit(limit, 100), TimeCursor.decode(cursor));
	}

	/**
	 * One conversation, as the list shows it.
	 * @param caller any member
	 * @param conversationId the conversation
	 * @return the conversation
	 */
	@Operation(operationId = "getConversation", summary = "Get a conversation")
	@GetMapping("/api/v1/conversations/{conversationId}")
	Mono<ConversationView> conversation(Caller caller, @PathVariable UUID conversationId) {
		caller.requireAny(Role.OWNER, Role.ADMIN, Role.AGENT);
		return this.conversations.conversation(caller.tenantId(), conversationId)
			.switchIfEmpty(Mono.error(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
					"No conversation " + conversationId + " in this tenant")));
	}

	/**
	 * How many conversations wait for an answer: the caller's, the unassigned ones and
	 * all, for the inbox's tabs.
	 * @param caller any member
	 * @return the counts
	 */
	@Operation(operationId = "countUnreadConversations",
			summary = "Count the conversations waiting for an answer: the caller's, unassigned and all")
	@GetMapping("/api/v1/conversations/unread-counts")
	Mono<UnreadCounts> unreadCounts(Caller caller) {
		caller.requireAny(Role.OWNER, Role.ADMIN, Role.AGENT);
		return this.conversations.unreadCounts(caller.tenantId(), caller.subject());
	}

	@Operation(operationId = "listMessages", summary = "List a conversation's messages")
	@GetMapping("/api/v1/conversations/{conversationId}/messages")
	Mono<Page<MessageView>> messages(Caller caller, @PathVariable UUID conversationId,
			@RequestParam(defaultValue = "50") int limit, @RequestParam(required = false) @Nullable String cursor) {
		caller.requireAny(Role.OWNER, Role.ADMIN, Role.AGENT);
		int checkedLimit = Cursors.limit(limit, 100);
		TimeCursor after = TimeCursor.decode(cursor);
		return this.conversations.exists(caller.tenantId(), conversationId)
			.flatMap((exists) -> exists
					? this.conversations.messages(caller.tenantId(), conversationId, checkedLimit, after)
					: Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND,
							"No conversation " + conversationId + " in this tenant")));
	}

	/**
	 * Opens, parks or resolves a conversation; routing frees the agent's place on
	 * {@code RESOLVED}.
	 * @param caller any member
	 * @param conversationId the conversation
	 * @param change the status
	 * @return the conversation's new status
	 */
	@Operation(operationId = "setConversationStatus", summary = "Open, park or resolve a conversation")
	@PutMapping("/api/v1/conversations/{conversationId}/status")
	Mono<StatusChange> status(Caller caller, @PathVariable UUID conversationId,
			@Valid @RequestBody StatusChange change) {
		caller.requireAny(Role.OWNER, Role.ADMIN, Role.AGENT);
		OffsetDateTime now = OffsetDateTime.ofInstant(this.clock.instant(), ZoneOffset.UTC);
		return this.database.sql("""
				UPDATE conversation SET status = :status WHERE id = :id AND tenant_id = :tenant
				RETURNING (SELECT status FROM conversation WHERE id = :id) AS previous""")
			.bind("status", change.status())
			.bind("id", conversationId)
			.bind("tenant", caller.tenantId())
			.map((row) -> Objects.requireNonNull(row.get("previous", String.class)))
			.one()
			.switchIfEmpty(Mono.error(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
					"No conversation " + conversationId + " in this tenant")))
			.flatMap((previous) -> previous.equals(change.status()) ? Mono.<Void>empty()
					: this.outbox.append(new ConversationStatusChanged(caller.tenantId(), conversationId.toString(),
							change.status(), caller.subject(), now.toInstant())))
			.as(this.transactions::transactional)
			.thenReturn(change);
	}

	@Operation(operationId = "getMessage", summary = "Get a message")
	@GetMapping("/api/v1/messages/{messageId}")
	Mono<MessageView> message(Caller caller, @PathVariable UUID messageId) {
		caller.requireAny(Role.OWNER, Role.ADMIN, Role.AGENT);
		return this.conversations.message(caller.tenantId(), messageId)
			.switchIfEmpty(Mono.error(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
					"No message " + messageId + " in this tenant")));
	}

	/**
	 * A conversation status.
	 *
	 * @param status {@code OPEN}, {@code PENDING} or {@code RESOLVED}
	 */
	record StatusChange(@NotNull @Pattern(regexp = "OPEN|PENDING|RESOLVED") String status) {

	}

}

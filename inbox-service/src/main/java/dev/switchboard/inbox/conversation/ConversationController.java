package dev.switchboard.inbox.conversation;

import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

import dev.switchboard.support.web.Caller;

/** The shared inbox's conversation list and message history. */
@RestController
@RequestMapping("/api/v1/conversations")
class ConversationController {

	private final ConversationRepository conversations;

	ConversationController(ConversationRepository conversations) {
		this.conversations = conversations;
	}

	@GetMapping
	Mono<Page<ConversationView>> list(Caller caller, @RequestParam(defaultValue = "20") int limit,
			@RequestParam(required = false) @Nullable String cursor) {
		return this.conversations.list(caller.tenantId(), Cursor.limit(limit), Cursor.decode(cursor));
	}

	@GetMapping("/{conversationId}/messages")
	Mono<Page<MessageView>> messages(Caller caller, @PathVariable UUID conversationId,
			@RequestParam(defaultValue = "50") int limit, @RequestParam(required = false) @Nullable String cursor) {
		int checkedLimit = Cursor.limit(limit);
		Cursor after = Cursor.decode(cursor);
		return this.conversations.exists(caller.tenantId(), conversationId)
			.flatMap((exists) -> exists
					? this.conversations.messages(caller.tenantId(), conversationId, checkedLimit, after)
					: Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND,
							"No conversation " + conversationId + " in this tenant")));
	}

}

package dev.switchboard.routing.window;

import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

import dev.switchboard.events.Role;
import dev.switchboard.support.web.Caller;

/** A conversation's 24-hour window. */
@RestController
class WindowController {

	private final ConversationWindows windows;

	WindowController(ConversationWindows windows) {
		this.windows = windows;
	}

	@Operation(operationId = "getWindow", summary = "Get a conversation's 24-hour customer-service window")
	@GetMapping("/api/v1/conversations/{conversationId}/window")
	Mono<WindowView> window(Caller caller, @PathVariable UUID conversationId) {
		caller.requireAny(Role.OWNER, Role.ADMIN, Role.AGENT);
		return this.windows.find(caller.tenantId(), conversationId)
			.switchIfEmpty(Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND,
					"No window for conversation " + conversationId + " in this tenant: the customer has not written")));
	}

}

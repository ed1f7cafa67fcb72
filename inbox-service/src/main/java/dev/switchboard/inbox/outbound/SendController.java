package dev.switchboard.inbox.outbound;

import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import dev.switchboard.events.Role;
import dev.switchboard.support.web.Caller;

/** Agents reply to customers. */
@RestController
class SendController {

	static final String DEVICE_HEADER = "X-Device-Id";

	private final Sending sending;

	SendController(Sending sending) {
		this.sending = sending;
	}

	/**
	 * Queues a message to the conversation's customer. 202: it is stored and will be sent
	 * through the Cloud API; its ticks appear on the message.
	 * @param caller the agent
	 * @param deviceId the registered device the agent sends from
	 * @param conversationId the conversation
	 * @param request the message
	 * @return the queued message
	 */
	@Operation(operationId = "sendMessage", summary = "Send a message to the conversation's customer")
	@ApiResponse(responseCode = "202",
			description = "Stored and queued for the Cloud API; its ticks appear on the " + "message",
			useReturnTypeSchema = true)
	@ApiResponse(responseCode = "403",
			description = "The caller's roles do not allow it, or the device is unknown, "
					+ "not the caller's, revoked or suspended")
	@ApiResponse(responseCode = "409",
			description = "The window is closed, the contact blocked or not opted in, the "
					+ "tenant has no business number, or the Idempotency-Key was used for another request")
	@ApiResponse(responseCode = "422", description = "The template is not approved or the quick reply does not exist")
	@PostMapping("/api/v1/conversations/{conversationId}/messages")
	Mono<ResponseEntity<Sending.Queued>> send(Caller caller,
			@RequestHeader(name = DEVICE_HEADER, required = false) @Nullable String deviceId,
			@PathVariable UUID conversationId, @Valid @RequestBody OutboundRequest request) {
		caller.requireAny(Role.AGENT, Role.ADMIN, Role.OWNER);
		return this.sending.send(caller, deviceId, conversationId, request)
			.map((queued) -> ResponseEntity.status(HttpStatus.ACCEPTED).body(queued));
	}

}

package dev.switchboard.audit.privacy;

import java.util.Map;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import dev.switchboard.audit.web.Refusals;
import dev.switchboard.events.Role;
import dev.switchboard.support.web.Caller;

/** Erasure requests and legal holds on a contact, for owners and admins. */
@RestController
@RequestMapping("/api/v1/audit/contacts/{contactId}")
class PrivacyController {

	private static final int MAX_REASON = 500;

	private final Erasure erasure;

	private final Refusals refusals;

	PrivacyController(Erasure erasure, Refusals refusals) {
		this.erasure = erasure;
		this.refusals = refusals;
	}

	/**
	 * Destroys the contact's body keys: their message bodies read "erased" from now on.
	 */
	@Operation(operationId = "eraseContact", summary = "Erase a contact's message bodies")
	@PostMapping("/erasure")
	Mono<Erasure.Erased> erase(Caller caller, @PathVariable String contactId) {
		caller.requireAny(Role.OWNER, Role.ADMIN);
		return this.erasure.erase(caller.tenantId(), contactId, caller.subject())
			.onErrorMap(RuntimeException.class, this::problem);
	}

	@Operation(operationId = "getLegalHold", summary = "Get a contact's legal hold")
	@GetMapping("/legal-hold")
	Mono<Erasure.Hold> hold(Caller caller, @PathVariable String contactId) {
		caller.requireAny(Role.OWNER, Role.ADMIN);
		return this.erasure.hold(caller.tenantId(), contactId)
			.switchIfEmpty(Mono.error(() -> this.refusals.refuse(HttpStatus.NOT_FOUND, "no-legal-hold", "No legal hold",
					"Contact " + contactId + " is not under a legal hold")));
	}

	@Operation(operationId = "placeLegalHold", summary = "Place a contact under a legal hold")
	@PutMapping("/legal-hold")
	Mono<Erasure.Hold> placeHold(Caller caller, @PathVariable String contactId, @RequestBody HoldRequest request) {
		caller.requireAny(Role.OWNER, Role.ADMIN);
		String reason = (request.reason() != null) ? request.reason().strip() : "";
		if (reason.isEmpty() || reason.length() > MAX_REASON) {
			throw this.refusals.refuse(HttpStatus.BAD_REQUEST, "invalid-legal-hold", "Invalid legal hold",
					"reason must be 1 to " + MAX_REASON + " characters");
		}
		return this.erasure.placeHold(caller.tenantId(), contactId, reason, caller.subject())
			.onErrorMap(RuntimeException.class, this::problem);
	}

	@Operation(operationId = "releaseLegalHold", summary = "Release a contact's legal hold")
	@ApiResponse(responseCode = "204", description = "Released")
	@DeleteMapping("/legal-hold")
	Mono<ResponseEntity<Void>> releaseHold(Caller caller, @PathVariable String contactId) {
		caller.requireAny(Role.OWNER, Role.ADMIN);
		return this.erasure.releaseHold(caller.tenantId(), contactId, caller.subject())
			.onErrorMap(RuntimeException.class, this::problem)
			.flatMap((released) -> released ? Mono.just(ResponseEntity.noContent().<Void>build())
					: Mono.error(this.refusals.refuse(HttpStatus.NOT_FOUND, "no-legal-hold", "No legal hold",
							"Contact " + contactId + " is not under a legal hold")));
	}

	private RuntimeException problem(RuntimeException ex) {
		return switch (ex) {
			case Erasure.UnknownContactException unknown ->
				this.refusals.refuse(HttpStatus.NOT_FOUND, "unknown-contact", "No such contact", unknown.getMessage());
			case Erasure.LegalHoldException held -> this.refusals.refuse(HttpStatus.CONFLICT, "legal-hold",
					"Erasure refused: legal hold", held.getMessage(), Map.of("holdReason", held.hold().reason(),
							"placedBy", held.hold().placedBy(), "placedAt", held.hold().placedAt().toString()));
			default -> ex;
		};
	}

	/**
	 * A legal hold to place.
	 *
	 * @param reason why the contact's data must be kept (case, order, authority)
	 */
	record HoldRequest(@Nullable String reason) {

	}

}

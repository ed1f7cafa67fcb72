package dev.switchboard.gateway.apikey;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

import dev.switchboard.events.Role;
import dev.switchboard.gateway.security.Identity;

/**
 * API keys of the caller's tenant: OWNER and ADMIN create, list and revoke them. A key's
 * roles are a subset of its creator's and never a platform role.
 */
@RestController
@RequestMapping("/api/v1/api-keys")
class ApiKeyController {

	private final ApiKeys apiKeys;

	ApiKeyController(ApiKeys apiKeys) {
		this.apiKeys = apiKeys;
	}

	@Operation(operationId = "createApiKey", summary = "Create an API key")
	@ApiResponse(responseCode = "201", description = "Created; the key is shown this once and never stored in clear",
			useReturnTypeSchema = true)
	@PostMapping
	Mono<ResponseEntity<ApiKeys.CreatedApiKey>> create(@AuthenticationPrincipal Identity caller,
			@Valid @RequestBody NewApiKey request) {
		requireAdmin(caller);
		Set<Role> roles = EnumSet.copyOf(request.roles());
		if (roles.stream().anyMatch(Role::isPlatformRole)) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"An API key cannot carry the platform roles SRE or OPERATOR");
		}
		if (!caller.roles().containsAll(roles)) {
			// A key can do no more than the user who creates it.
			Set<Role> extra = EnumSet.copyOf(roles);
			extra.removeAll(caller.roles());
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"An API key's roles must be among yours; you do not have " + extra);
		}
		// no-store: the key is shown once; neither caches nor the idempotency record keep
		// it.
		return this.apiKeys.create(caller, request.name(), roles)
			.map((created) -> ResponseEntity.status(HttpStatus.CREATED)
				.cacheControl(CacheControl.noStore())
				.body(created));
	}

	@Operation(operationId = "listApiKeys", summary = "List the tenant's API keys")
	@GetMapping
	Mono<ApiKeys.KeyPage> list(@AuthenticationPrincipal Identity caller, @RequestParam(defaultValue = "20") int limit,
			@RequestParam(required = false) @Nullable String cursor) {
		requireAdmin(caller);
		if (limit < 1 || limit > 100) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "limit must be between 1 and 100");
		}
		return this.apiKeys.list(caller.tenantId(), limit, cursor);
	}

	@Operation(operationId = "revokeApiKey", summary = "Revoke an API key")
	@ApiResponse(responseCode = "204", description = "Revoked")
	@DeleteMapping("/{id}")
	Mono<ResponseEntity<Void>> revoke(@AuthenticationPrincipal Identity caller, @PathVariable UUID id) {
		requireAdmin(caller);
		return this.apiKeys.revoke(caller, id)
			.flatMap((revoked) -> revoked ? Mono.just(ResponseEntity.noContent().<Void>build()) : Mono
				.error(new ResponseStatusException(HttpStatus.NOT_FOUND, "No API key " + id + " in this tenant")));
	}

	private static void requireAdmin(Identity caller) {
		if (!caller.hasAny(Role.OWNER, Role.ADMIN)) {
			throw new ResponseStatusException(HttpStatus.FORBIDDEN, "API keys are managed by an OWNER or ADMIN");
		}
	}

	/**
	 * A key to create.
	 *
	 * @param name what it is for ("CRM sync")
	 * @param roles what it may do
	 */
	record NewApiKey(@NotBlank @Size(max = 100) String name, @NotEmpty List<Role> roles) {

	}

}

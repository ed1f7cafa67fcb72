package dev.switchboard.gateway.devtoken;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Profile;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.switchboard.events.Role;

/**
 * Mints bearer tokens for the local start, signed with the local HMAC key. Exists only
 * with the {@code local} profile: everywhere else {@code POST /api/v1/dev/tokens} answers
 * 404.
 */
@RestController
@Profile("local")
class DevTokenController {

	private final JwtEncoder encoder;

	private final Clock clock;

	DevTokenController(JwtEncoder encoder, Clock clock) {
		this.encoder = encoder;
		this.clock = clock;
	}

	@PostMapping("/api/v1/dev/tokens")
	DevToken mint(@Valid @RequestBody TokenRequest request) {
		Instant now = this.clock.instant();
		Instant expiresAt = now.plus((request.ttl() != null) ? request.ttl() : Duration.ofHours(8));
		JwtClaimsSet claims = JwtClaimsSet.builder()
			.issuer("switchboard-local")
			.subject(request.subject())
			.claim("tenant", request.tenant())
			.claim("roles", request.roles().stream().map(Role::name).toList())
			.issuedAt(now)
			.expiresAt(expiresAt)
			.build();
		String token = this.encoder
			.encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims))
			.getTokenValue();
		return new DevToken(token, expiresAt);
	}

	/**
	 * Who the token is for.
	 *
	 * @param tenant the tenant
	 * @param subject the user
	 * @param roles the roles
	 * @param ttl how long it is valid (default 8 hours)
	 */
	record TokenRequest(@NotBlank String tenant, @NotBlank String subject, @NotEmpty List<Role> roles,
			@Nullable Duration ttl) {

	}

	/**
	 * A minted token.
	 *
	 * @param token the JWT, to send as {@code Authorization: Bearer <token>}
	 * @param expiresAt when it expires
	 */
	record DevToken(String token, Instant expiresAt) {

	}

}

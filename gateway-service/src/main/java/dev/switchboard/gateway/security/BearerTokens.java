package dev.switchboard.gateway.security;

import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;

import dev.switchboard.events.Role;
import dev.switchboard.events.RoleClaims;

/**
 * Bearer tokens of the OpenID Connect provider: how they are verified and what identity
 * their claims give.
 */
final class BearerTokens {

	static final String ISSUER_VARIABLE = "SWITCHBOARD_SECURITY_JWT_ISSUER_URI";

	private BearerTokens() {
	}

	/**
	 * A decoder that checks the signature against the provider's keys (from its discovery
	 * document, fetched on the first token, or from the configured JWKS URI), the issuer,
	 * the audience and a required {@code exp} not in the past.
	 * @param settings the token settings
	 * @return the decoder
	 * @throws IllegalStateException when no issuer is configured
	 */
	static ReactiveJwtDecoder decoder(SecurityProperties.Jwt settings) {
		String issuer = settings.issuerUri();
		if (issuer == null || issuer.isBlank()) {
			throw new IllegalStateException("Set " + ISSUER_VARIABLE + " (switchboard.security.jwt.issuer-uri) to "
					+ "the OpenID Connect provider's issuer, e.g. https://sso.example.com/realms/switchboard "
					+ "(Keycloak) or http://127.0.0.1:9000 (the local identity-provider)");
		}
		String jwkSetUri = settings.jwkSetUri();
		NimbusReactiveJwtDecoder decoder = (jwkSetUri != null && !jwkSetUri.isBlank())
				? NimbusReactiveJwtDecoder.withJwkSetUri(jwkSetUri).build()
				: NimbusReactiveJwtDecoder.withIssuerLocation(issuer).build();
		JwtTimestampValidator timestamps = new JwtTimestampValidator();
		timestamps.setAllowEmptyExpiryClaim(false);
		decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(timestamps, new JwtIssuerValidator(issuer),
				new JwtAudienceValidator(settings.audience())));
		return decoder;
	}

	/**
	 * The caller a verified token names: the subject claim ({@code sub} by default), the
	 * tenant claim and the roles claim. Roles this platform does not know grant nothing,
	 * and the platform roles only to the platform tenant's users.
	 * @param settings the claim names
	 * @param platformTenant the tenant whose users may hold the platform roles
	 * @return the converter for the resource server
	 */
	static Converter<Jwt, Mono<AbstractAuthenticationToken>> identities(SecurityProperties.Jwt settings,
			String platformTenant) {
		return (jwt) -> {
			Object tenant = claim(jwt.getClaims(), settings.tenantClaim());
			Object subject = claim(jwt.getClaims(), settings.subjectClaim());
			if (!(tenant instanceof String tenantId) || tenantId.isBlank() || !(subject instanceof String user)
					|| user.isBlank()) {
				return Mono.error(new BadCredentialsException(
						"The token needs the claims " + settings.subjectClaim() + " and " + settings.tenantClaim()));
			}
			return Mono.just(new Identity(tenantId, user, roles(jwt, settings.rolesClaim()), null)
				.withPlatformRolesOnlyFor(platformTenant)
				.toAuthentication());
		};
	}

	static Set<Role> roles(Jwt jwt, String rolesClaim) {
		return RoleClaims.roles(claim(jwt.getClaims(), rolesClaim));
	}

	/** A claim by name, or by a dotted path into nested objects. */
	static @Nullable Object claim(Map<String, Object> claims, String path) {
		return RoleClaims.claim(claims, path);
	}

}

package dev.switchboard.gateway.security;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How bearer tokens are verified, and who may hold the platform's roles.
 *
 * @param jwt the token settings
 * @param platformTenant the tenant of the platform's own staff: only its users hold the
 * platform roles SRE and OPERATOR (dropped from any other caller); no WhatsApp tenant may
 * use this id
 */
@ConfigurationProperties("switchboard.security")
public record SecurityProperties(@DefaultValue Jwt jwt, @DefaultValue("platform") String platformTenant) {

	/**
	 * JWT settings: production verifies against an OIDC provider's JWKS; the local start
	 * signs and verifies with an HMAC key of its own.
	 *
	 * @param jwkSetUri the provider's JWKS URI (e.g. Keycloak's
	 * {@code /realms/<realm>/protocol/openid-connect/certs})
	 * @param hmacSecret an HS256 key of at least 32 bytes, used when no JWKS URI is set
	 * @param tenantClaim the claim naming the tenant
	 * @param rolesClaim the claim listing the roles
	 */
	public record Jwt(@Nullable String jwkSetUri, @Nullable String hmacSecret,
			@DefaultValue("tenant") String tenantClaim, @DefaultValue("roles") String rolesClaim) {

	}

}

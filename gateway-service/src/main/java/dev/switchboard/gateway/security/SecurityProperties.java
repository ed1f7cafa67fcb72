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
	 * Tokens of an OpenID Connect provider (Keycloak in production, the identity-provider
	 * module locally), verified the same way everywhere: signature against the provider's
	 * JWKS, issuer, audience and a required, unexpired {@code exp}.
	 *
	 * @param issuerUri the provider's issuer, exactly as its tokens name it (e.g.
	 * {@code https://sso.example.com/realms/switchboard}); its discovery document names
	 * the JWKS (required)
	 * @param jwkSetUri the JWKS URI, when it should not come from discovery (e.g. the
	 * provider is reached by another name inside the network)
	 * @param audience the audience every token must name
	 * @param tenantClaim the claim naming the tenant; a dotted path reads a nested claim
	 * @param rolesClaim the claim listing the roles; a dotted path reads a nested claim
	 * (Keycloak's built-in one is {@code realm_access.roles})
	 * @param subjectClaim the claim naming the user, the name agents, devices and
	 * assignments are keyed by; {@code sub} unless the provider's {@code sub} is an
	 * opaque id (Keycloak's is a UUID: its realm maps the user name to
	 * {@code switchboard_user})
	 */
	public record Jwt(@Nullable String issuerUri, @Nullable String jwkSetUri,
			@DefaultValue("switchboard") String audience, @DefaultValue("tenant") String tenantClaim,
			@DefaultValue("roles") String rolesClaim, @DefaultValue("sub") String subjectClaim) {

	}

}

package dev.switchboard.console.config;

import java.net.URI;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The console's settings.
 *
 * @param apiUri the public API, reached through the gateway (the only trust boundary)
 * @param publicUri where browsers reach the console (the gateway's address): requests for
 * another host are sent there, so that the session cookie and the sign-in redirect agree
 * on one origin
 * @param secureCookie whether the session cookie is {@code Secure} (on wherever the
 * gateway is served over HTTPS)
 * @param sessionTimeout how long an idle session lives
 * @param heartbeat how often the live stream sends a comment, below the gateway's
 * response timeout and proxies' idle timeouts
 * @param oidc the OpenID Connect provider users sign in with
 */
@ConfigurationProperties("switchboard.console")
public record ConsoleProperties(URI apiUri, @Nullable URI publicUri, @DefaultValue("false") boolean secureCookie,
		@DefaultValue("30m") Duration sessionTimeout, @DefaultValue("10s") Duration heartbeat,
		@DefaultValue Oidc oidc) {

	/**
	 * The provider.
	 *
	 * @param issuerUri the issuer tokens name (required)
	 * @param discoveryUri where this process reads the discovery document when the issuer
	 * is not reachable from it under its public name (compose: Keycloak on the internal
	 * network); defaults to the issuer
	 * @param clientId the public client (authorization code + PKCE)
	 * @param registrationId the id in the redirect URI ({@code /login/oauth2/code/<id>})
	 * @param tenantClaim the ID token claim naming the tenant
	 * @param rolesClaim the ID token claim listing the roles; a dotted path reads a
	 * nested claim
	 */
	public record Oidc(@Nullable URI issuerUri, @Nullable URI discoveryUri,
			@DefaultValue("switchboard-console") String clientId, @DefaultValue("switchboard") String registrationId,
			@DefaultValue("tenant") String tenantClaim, @DefaultValue("roles") String rolesClaim) {

		/** Where the discovery document is read. */
		public URI discoveryBase() {
			URI base = (this.discoveryUri != null) ? this.discoveryUri : this.issuerUri;
			if (base == null) {
				throw new IllegalStateException(
						"Set SWITCHBOARD_CONSOLE_OIDC_ISSUER_URI (switchboard.console.oidc.issuer-uri): the OpenID Connect provider users sign in with");
			}
			return base;
		}

	}

}

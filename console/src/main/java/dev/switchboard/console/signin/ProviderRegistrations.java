package dev.switchboard.console.signin;

import dev.switchboard.console.config.ConsoleProperties;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.IdTokenClaimNames;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/**
 * The console's one client registration, read from the provider's discovery document on
 * first use rather than at start: the console starts, and serves its health, while the
 * provider is still booting, and a failed read is retried on the next sign-in. The
 * document's issuer must be the configured one (ID tokens are checked against it), but
 * may be read from another address ({@code discovery-uri}) where the issuer's public name
 * does not resolve inside the network. The redirect URI is the console's public address:
 * behind the gateway the console does not see the browser's scheme.
 */
final class ProviderRegistrations implements ReactiveClientRegistrationRepository {

	private static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT = new ParameterizedTypeReference<>() {
	};

	private final ConsoleProperties.Oidc oidc;

	private final String redirectUri;

	private final Mono<ClientRegistration> registration;

	/**
	 * The registration of a provider.
	 * @param oidc the provider and the client
	 * @param publicUri where browsers reach the console (the redirect URI's base), or
	 * null to use the address of the request that starts the sign-in
	 * @param http for the discovery document
	 */
	ProviderRegistrations(ConsoleProperties.Oidc oidc, @Nullable URI publicUri, WebClient.Builder http) {
		this.oidc = oidc;
		String base = (publicUri != null) ? publicUri.toString().replaceAll("/+$", "") : "{baseUrl}";
		this.redirectUri = base + "/login/oauth2/code/{registrationId}";
		URI discovery = UriComponentsBuilder.fromUri(oidc.discoveryBase())
			.path("/.well-known/openid-configuration")
			.build()
			.toUri();
		WebClient client = http.build();
		// Cached once read; an error is not cached, so the next sign-in tries again.
		this.registration = client.get()
			.uri(discovery)
			.retrieve()
			.bodyToMono(JSON_OBJECT)
			.timeout(Duration.ofSeconds(10))
			.map(this::registration)
			.cacheInvalidateIf((ignored) -> false);
	}

	@Override
	public Mono<ClientRegistration> findByRegistrationId(String registrationId) {
		return this.oidc.registrationId().equals(registrationId) ? this.registration : Mono.empty();
	}

	// The ID token carries what the console needs (subject, tenant, roles): no user-info
	// call.
	ClientRegistration registration(Map<String, Object> discovery) {
		String issuer = String.valueOf(discovery.get("issuer"));
		URI expected = this.oidc.issuerUri();
		if (expected != null && !expected.toString().equals(issuer)) {
			throw new IllegalStateException("The provider's discovery document names the issuer " + issuer
					+ ", not the configured " + expected);
		}
		return ClientRegistration.withRegistrationId(this.oidc.registrationId())
			.clientId(this.oidc.clientId())
			// A public client: Spring Security adds PKCE (S256) to its authorization
			// requests.
			.clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
			.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
			.redirectUri(this.redirectUri)
			.scope("openid", "profile")
			.issuerUri(issuer)
			.authorizationUri(String.valueOf(discovery.get("authorization_endpoint")))
			.tokenUri(String.valueOf(discovery.get("token_endpoint")))
			.jwkSetUri(String.valueOf(discovery.get("jwks_uri")))
			.userNameAttributeName(IdTokenClaimNames.SUB)
			.providerConfigurationMetadata(discovery)
			.build();
	}

}

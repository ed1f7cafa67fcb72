package dev.switchboard.console.signin;

import java.net.URI;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.web.server.DefaultServerOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

import dev.switchboard.console.config.ConsoleProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class ProviderRegistrationsTests {

	private static final Map<String, Object> DISCOVERY = Map.of("issuer", "http://127.0.0.1:9000",
			"authorization_endpoint", "http://127.0.0.1:9000/oauth2/authorize", "token_endpoint",
			"http://127.0.0.1:9000/oauth2/token", "jwks_uri", "http://127.0.0.1:9000/oauth2/jwks");

	private final ProviderRegistrations registrations = new ProviderRegistrations(
			new ConsoleProperties.Oidc(URI.create("http://127.0.0.1:9000"), null, "switchboard-console", "switchboard",
					"tenant", "roles"),
			URI.create("http://127.0.0.1:8080/"), WebClient.builder());

	@Test
	void whenTheConsoleSignsInThenItIsAPublicClientUsingPkceReturningToItsPublicAddress() {
		ClientRegistration registration = this.registrations.registration(DISCOVERY);
		assertThat(registration.getClientAuthenticationMethod()).isEqualTo(ClientAuthenticationMethod.NONE);
		DefaultServerOAuth2AuthorizationRequestResolver resolver = new DefaultServerOAuth2AuthorizationRequestResolver(
				(id) -> Mono.just(registration));
		OAuth2AuthorizationRequest request = resolver
			.resolve(MockServerWebExchange
				.from(MockServerHttpRequest.get("http://console.internal:8085/oauth2/authorization/switchboard")))
			.block();
		assertThat(request).isNotNull();
		assertThat(request.getAdditionalParameters()).containsEntry("code_challenge_method", "S256")
			.containsKey("code_challenge");
		assertThat(request.getRedirectUri()).isEqualTo("http://127.0.0.1:8080/login/oauth2/code/switchboard");
		assertThat(request.getScopes()).contains("openid");
	}

	@Test
	void whenTheDiscoveryDocumentNamesAnotherIssuerThenTheConsoleRefusesIt() {
		Map<String, Object> foreign = new java.util.HashMap<>(DISCOVERY);
		foreign.put("issuer", "http://elsewhere.example");
		assertThatIllegalStateException().isThrownBy(() -> this.registrations.registration(foreign))
			.withMessageContaining("elsewhere.example");
	}

}

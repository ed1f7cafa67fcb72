package dev.switchboard.identity;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.provisioning.UserDetailsManager;

/**
 * The users, the clients and the claims of the tokens. Spring Boot serves the rest:
 * discovery, JWKS (a key generated at start), the token and authorization endpoints and
 * the login form.
 */
@Configuration(proxyBeanMethods = false)
class AuthorizationServerConfiguration {

	static final String TENANT_CLAIM = "tenant";

	/** The user's name, as Keycloak's realm gives it beside its opaque {@code sub}. */
	static final String USER_CLAIM = "switchboard_user";

	static final String ROLES_CLAIM = "roles";

	/**
	 * Hashes are stored as {@code {bcrypt}}, which the default delegating encoders read.
	 * The plain secrets are in this process's configuration anyway, so a low cost
	 * suffices; each hash has its own salt, as the client repository wants unique stored
	 * secrets.
	 */
	private static final BCryptPasswordEncoder BCRYPT = new BCryptPasswordEncoder(4);

	@Bean
	UserDetailsManager users(IdentityProperties properties) {
		// One hash for everyone: every user has the same configured password.
		String password = hash(
				required(properties.password(), IdentityProperties.PASSWORD_VARIABLE, "switchboard.identity.password"));
		List<UserDetails> users = new ArrayList<>();
		properties.users()
			.forEach((name, user) -> users.add(User.withUsername(name)
				.password(password)
				.authorities(user.roles().stream().map((role) -> new SimpleGrantedAuthority("ROLE_" + role)).toList())
				.build()));
		return new InMemoryUserDetailsManager(users);
	}

	@Bean
	RegisteredClientRepository clients(IdentityProperties properties) {
		String secret = required(properties.clientSecret(), IdentityProperties.CLIENT_SECRET_VARIABLE,
				"switchboard.identity.client-secret");
		TokenSettings tokens = TokenSettings.builder()
			.accessTokenTimeToLive(properties.accessTokenTimeToLive())
			.build();
		List<RegisteredClient> clients = new ArrayList<>();
		IdentityProperties.Console console = properties.console();
		clients.add(RegisteredClient.withId(console.clientId())
			.clientId(console.clientId())
			.clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
			.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
			.redirectUris((uris) -> uris.addAll(console.redirectUris()))
			.scope(OidcScopes.OPENID)
			.scope(OidcScopes.PROFILE)
			.clientSettings(ClientSettings.builder().requireProofKey(true).requireAuthorizationConsent(false).build())
			.tokenSettings(tokens)
			.build());
		for (String name : properties.users().keySet()) {
			clients.add(RegisteredClient.withId(name)
				.clientId(name)
				.clientSecret(hash(secret))
				.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
				.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
				.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
				.tokenSettings(tokens)
				.build());
		}
		return new InMemoryRegisteredClientRepository(clients);
	}

	/**
	 * Access tokens are for the platform ({@code aud}) and name the user's tenant and
	 * roles, and carry the user's name in {@code switchboard_user} as well as in
	 * {@code sub}, as Keycloak's realm does; the ID token (audience: the console) names
	 * them too. The principal is the signed-in user, or for {@code client_credentials}
	 * the client, whose id is the user's name.
	 */
	@Bean
	OAuth2TokenCustomizer<JwtEncodingContext> switchboardClaims(IdentityProperties properties) {
		Map<String, IdentityProperties.User> users = properties.users();
		return (context) -> {
			boolean access = OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType());
			if (!access && !"id_token".equals(context.getTokenType().getValue())) {
				return;
			}
			IdentityProperties.User user = users.get(context.getPrincipal().getName());
			if (access) {
				context.getClaims().audience(List.of(properties.audience()));
			}
			if (user != null) {
				context.getClaims()
					.claim(TENANT_CLAIM, user.tenant())
					.claim(ROLES_CLAIM, List.copyOf(user.roles()))
					.claim(USER_CLAIM, context.getPrincipal().getName());
			}
		};
	}

	private static String hash(String raw) {
		return "{bcrypt}" + BCRYPT.encode(raw);
	}

	private static String required(@Nullable String value, String variable, String property) {
		if (value == null || value.isBlank()) {
			throw new IllegalStateException(
					"Set " + variable + " (" + property + "): the identity provider has no default secrets");
		}
		return value;
	}

}

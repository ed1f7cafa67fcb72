package dev.switchboard.identity;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may sign in and which clients exist. Every user signs in with the form (password)
 * and is also a confidential client of the same name for scripts
 * ({@code client_credentials}, client secret).
 *
 * @param audience the {@code aud} of every access token
 * @param password every user's password for the login form (required)
 * @param clientSecret every user's client secret for {@code client_credentials}
 * (required)
 * @param accessTokenTimeToLive how long an access token is valid
 * @param console the public client for browsers
 * @param users the users by name: a map, so that a deployment or a test adds users
 * without repeating the others
 */
@ConfigurationProperties("switchboard.identity")
public record IdentityProperties(@DefaultValue("switchboard") String audience, @Nullable String password,
		@Nullable String clientSecret, @DefaultValue("1h") Duration accessTokenTimeToLive,
		@DefaultValue Console console, Map<String, User> users) {

	/** Environment variable of {@link #password()}. */
	static final String PASSWORD_VARIABLE = "SWITCHBOARD_IDENTITY_PASSWORD";

	/** Environment variable of {@link #clientSecret()}. */
	static final String CLIENT_SECRET_VARIABLE = "SWITCHBOARD_IDENTITY_CLIENT_SECRET";

	public IdentityProperties {
		users = (users != null) ? Map.copyOf(users) : Map.of();
	}

	/**
	 * A user of a tenant.
	 *
	 * @param tenant the tenant, the token's {@code tenant} claim
	 * @param roles the roles, the token's {@code roles} claim (may be empty)
	 */
	public record User(String tenant, @DefaultValue List<String> roles) {

	}

	/**
	 * The browser client: authorization code with PKCE, no consent page.
	 *
	 * @param clientId the client id
	 * @param redirectUris where the authorization code may be sent
	 */
	public record Console(@DefaultValue("switchboard-console") String clientId,
			@DefaultValue("http://127.0.0.1:8080/login/oauth2/code/switchboard") List<String> redirectUris) {

	}

}

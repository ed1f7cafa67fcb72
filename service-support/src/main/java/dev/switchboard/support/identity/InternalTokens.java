package dev.switchboard.support.identity;

import java.time.Duration;

/** The internal identity token's contract, shared by its issuer and its verifiers. */
public final class InternalTokens {

	/** The {@code iss} of every internal token. */
	public static final String ISSUER = "switchboard-gateway";

	/** The claim naming the caller's tenant. */
	public static final String TENANT = "tenant";

	/** The claim listing the caller's role names. */
	public static final String ROLES = "roles";

	/** The claim naming the API key that authenticated the call, when one did. */
	public static final String API_KEY = "api_key";

	/** Where the gateway serves its public keys. */
	public static final String JWKS_PATH = "/.well-known/switchboard/jwks.json";

	/** The longest lifetime ({@code exp - iat}) a service accepts. */
	public static final Duration MAX_LIFETIME = Duration.ofSeconds(60);

	private InternalTokens() {
	}

}

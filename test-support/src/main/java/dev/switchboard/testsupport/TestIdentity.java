package dev.switchboard.testsupport;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;

/**
 * Mints internal identity tokens the way the gateway does (ES256, issuer
 * {@code switchboard-gateway}, the service as audience, 30 s), signed with a fixed test
 * key whose public half {@link RealInfrastructureInitializer} gives every integration
 * test as {@code switchboard.identity.jwks}. Send them as
 * {@code Authorization: Bearer <token>}.
 */
public final class TestIdentity {

	/** The issuer of every internal token. */
	public static final String ISSUER = "switchboard-gateway";

	/** The test key's id. */
	public static final String KEY_ID = "switchboard-test-1";

	/** The fixed test signing key: a private EC P-256 JWK, never used outside tests. */
	public static final String SIGNING_KEY = """
			{"kty":"EC","d":"S-gKh0UwTCm8fLB0IxAKQaVOsjoz7Jhzchud46VXcuk","use":"sig","crv":"P-256",\
			"kid":"switchboard-test-1","x":"CnZjWV1i6HgwiY1_oZis-h00baESGSCLL5ie8X3A2mk",\
			"y":"CxFgIMSyfU5-w1dGoi0kXc_e4Iin4RYJDccAeL8OMng","alg":"ES256"}""";

	private static final ECKey KEY = parse(SIGNING_KEY);

	private static final NimbusJwtEncoder ENCODER = encoder(KEY);

	private TestIdentity() {
	}

	/**
	 * The public JWK set that verifies {@link #token} (what the gateway serves at
	 * {@code /.well-known/switchboard/jwks.json}).
	 * @return the JWK set as JSON
	 */
	public static String jwks() {
		return new JWKSet(KEY.toPublicJWK()).toString();
	}

	/**
	 * A valid internal token.
	 * @param audience the service ({@code inbox-service}, ...)
	 * @param tenant the caller's tenant
	 * @param subject the caller
	 * @param roles role names; each may also be a comma-separated list
	 * ({@code "ADMIN,AGENT"})
	 * @return the token
	 */
	public static String token(String audience, String tenant, String subject, String... roles) {
		return sign(claims(audience, tenant, subject, roles).build());
	}

	/**
	 * A client filter that sends a fresh token with every request, so a client kept
	 * longer than a token lives still works.
	 * @param audience the service
	 * @param tenant the caller's tenant
	 * @param subject the caller
	 * @param roles role names; each may also be a comma-separated list
	 * @return the filter, for {@code WebTestClient.Builder#filter}
	 */
	public static ExchangeFilterFunction bearer(String audience, String tenant, String subject, String... roles) {
		return (request,
				next) -> next.exchange(ClientRequest.from(request)
					.headers((headers) -> headers.setBearerAuth(token(audience, tenant, subject, roles)))
					.build());
	}

	/**
	 * The claims of a valid internal token, to change before {@link #sign}ing them.
	 * @param audience the service
	 * @param tenant the caller's tenant
	 * @param subject the caller
	 * @param roles role names; each may also be a comma-separated list
	 * @return the claims: issued now, expiring in 30 s
	 */
	public static JwtClaimsSet.Builder claims(String audience, String tenant, String subject, String... roles) {
		Instant now = Instant.now();
		return JwtClaimsSet.builder()
			.issuer(ISSUER)
			.audience(List.of(audience))
			.subject(subject)
			.claim("tenant", tenant)
			.claim("roles", roleNames(roles))
			.issuedAt(now)
			.expiresAt(now.plus(Duration.ofSeconds(30)))
			.id(UUID.randomUUID().toString());
	}

	/**
	 * Signs claims with the test key.
	 * @param claims the claims
	 * @return the token
	 */
	public static String sign(JwtClaimsSet claims) {
		return sign(ENCODER, claims);
	}

	/**
	 * Signs claims with a fresh key that claims the test key's id: what a forger without
	 * the gateway's key could do.
	 * @param claims the claims
	 * @return a token no service accepts
	 */
	public static String signWithAnotherKey(JwtClaimsSet claims) {
		try {
			return sign(encoder(new ECKeyGenerator(Curve.P_256).keyID(KEY_ID).generate()), claims);
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String sign(NimbusJwtEncoder encoder, JwtClaimsSet claims) {
		return encoder
			.encode(JwtEncoderParameters.from(JwsHeader.with(SignatureAlgorithm.ES256).keyId(KEY_ID).build(), claims))
			.getTokenValue();
	}

	private static List<String> roleNames(String... roles) {
		return Arrays.stream(roles)
			.flatMap((role) -> Arrays.stream(role.split(",")))
			.map(String::trim)
			.filter((role) -> !role.isEmpty())
			.toList();
	}

	private static NimbusJwtEncoder encoder(ECKey key) {
		return new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(key)));
	}

	private static ECKey parse(String json) {
		try {
			return ECKey.parse(json);
		}
		catch (ParseException ex) {
			throw new IllegalStateException(ex);
		}
	}

}

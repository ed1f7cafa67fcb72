package dev.switchboard.gateway.security;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

import dev.switchboard.events.Role;
import dev.switchboard.support.identity.InternalTokens;

/**
 * Signs the internal identity token (ES256, at most 60 s, audience the target service)
 * that tells a service who is calling. The services trust nothing else.
 */
public class InternalTokenIssuer {

	private static final Logger logger = LoggerFactory.getLogger(InternalTokenIssuer.class);

	private final ECKey key;

	private final NimbusJwtEncoder encoder;

	private final JwsHeader header;

	private final Duration lifetime;

	private final Clock clock;

	InternalTokenIssuer(ECKey key, Duration lifetime, Clock clock) {
		if (!key.isPrivate() || !Curve.P_256.equals(key.getCurve()) || key.getKeyID() == null
				|| key.getKeyID().isBlank()) {
			throw new IllegalStateException(
					"SWITCHBOARD_IDENTITY_SIGNING_KEY must be a private EC P-256 JWK with a kid");
		}
		if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(InternalTokens.MAX_LIFETIME) > 0) {
			throw new IllegalStateException("switchboard.identity.token-lifetime must be more than 0 and at most "
					+ InternalTokens.MAX_LIFETIME.toSeconds() + " s, not " + lifetime);
		}
		this.key = key;
		this.encoder = new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(key)));
		this.header = JwsHeader.with(SignatureAlgorithm.ES256).keyId(key.getKeyID()).build();
		this.lifetime = lifetime;
		this.clock = clock;
	}

	/**
	 * The issuer for the configured key; under the {@code local} profile without one, a
	 * fresh key (tokens of one start are not valid in the next).
	 * @param properties the settings
	 * @param local whether the {@code local} profile is active
	 * @param clock the clock
	 * @return the issuer
	 */
	static InternalTokenIssuer of(InternalTokenProperties properties, boolean local, Clock clock) {
		String json = properties.signingKey();
		if (json == null || json.isBlank()) {
			if (!local) {
				throw new IllegalStateException(
						"Set SWITCHBOARD_IDENTITY_SIGNING_KEY (switchboard.identity.signing-key) "
								+ "to the private EC P-256 JWK (JSON, with kid) that signs the gateway's internal identity "
								+ "tokens; the services verify them with its public half");
			}
			logger.warn("No SWITCHBOARD_IDENTITY_SIGNING_KEY: signing internal identity tokens with a key generated "
					+ "for this start (local profile only); services must get its public half from "
					+ InternalTokens.JWKS_PATH);
			return new InternalTokenIssuer(generate(), properties.tokenLifetime(), clock);
		}
		JWK key;
		try {
			key = JWK.parse(json);
		}
		catch (ParseException ex) {
			throw new IllegalStateException("SWITCHBOARD_IDENTITY_SIGNING_KEY is not a JSON JWK: " + ex.getMessage(),
					ex);
		}
		if (!(key instanceof ECKey ec)) {
			throw new IllegalStateException(
					"SWITCHBOARD_IDENTITY_SIGNING_KEY must be a private EC P-256 JWK with a kid");
		}
		return new InternalTokenIssuer(ec, properties.tokenLifetime(), clock);
	}

	/**
	 * A token for one routed request.
	 * @param identity the verified caller
	 * @param audience the service the request goes to
	 * @return the signed token
	 */
	public String issue(Identity identity, String audience) {
		Instant now = this.clock.instant();
		JwtClaimsSet.Builder claims = JwtClaimsSet.builder()
			.issuer(InternalTokens.ISSUER)
			.audience(List.of(audience))
			.subject(identity.subject())
			.claim(InternalTokens.TENANT, identity.tenantId())
			.claim(InternalTokens.ROLES, identity.roles().stream().map(Role::name).sorted().toList())
			.issuedAt(now)
			.expiresAt(now.plus(this.lifetime))
			.id(UUID.randomUUID().toString());
		if (identity.apiKeyId() != null) {
			claims.claim(InternalTokens.API_KEY, identity.apiKeyId());
		}
		return this.encoder.encode(JwtEncoderParameters.from(this.header, claims.build())).getTokenValue();
	}

	/**
	 * The public key set services verify the tokens with.
	 * @return the JWK set as a JSON object, public keys only
	 */
	public Map<String, Object> publicKeys() {
		return new JWKSet(this.key.toPublicJWK()).toJSONObject(true);
	}

	private static ECKey generate() {
		try {
			return new ECKeyGenerator(Curve.P_256).keyID("local-" + UUID.randomUUID()).generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("Could not generate an EC P-256 key", ex);
		}
	}

}

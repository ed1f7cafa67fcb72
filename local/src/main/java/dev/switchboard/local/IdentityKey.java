package dev.switchboard.local;

import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;

/**
 * The key of the gateway's internal identity tokens for one local start: the gateway
 * signs with the private half, the services verify with the public one. A new start makes
 * a new key, so no token outlives the platform it was made for.
 *
 * @param signingKey the private EC P-256 JWK, for
 * {@code SWITCHBOARD_IDENTITY_SIGNING_KEY}
 * @param jwks the public JWK set, for {@code SWITCHBOARD_IDENTITY_JWKS}
 */
record IdentityKey(String signingKey, String jwks) {

	static IdentityKey generate() {
		try {
			ECKey key = new ECKeyGenerator(Curve.P_256).keyID("local-" + UUID.randomUUID())
				.algorithm(JWSAlgorithm.ES256)
				.keyUse(KeyUse.SIGNATURE)
				.generate();
			return new IdentityKey(key.toJSONString(), new JWKSet(key.toPublicJWK()).toString());
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("Could not generate the local identity key", ex);
		}
	}

}

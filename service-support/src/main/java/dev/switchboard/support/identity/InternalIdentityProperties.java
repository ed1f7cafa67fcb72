package dev.switchboard.support.identity;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a service verifies the gateway's internal identity tokens.
 *
 * @param verify whether this application verifies them (the gateway, which issues them,
 * sets false and keeps its own security chain)
 * @param jwkSetUri the gateway's public keys
 * ({@code http://<gateway>/.well-known/switchboard/jwks.json})
 * @param jwks the gateway's public keys as a JSON JWK set, when the service should not
 * fetch them
 */
@ConfigurationProperties("switchboard.identity")
public record InternalIdentityProperties(@DefaultValue("true") boolean verify, @Nullable String jwkSetUri,
		@Nullable String jwks) {

}

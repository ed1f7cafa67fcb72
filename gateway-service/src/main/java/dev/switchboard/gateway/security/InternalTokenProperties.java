package dev.switchboard.gateway.security;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the gateway signs the internal identity token it sends with every routed request.
 *
 * @param signingKey the private EC P-256 JWK (JSON, with {@code kid}) that signs them
 * ({@code SWITCHBOARD_IDENTITY_SIGNING_KEY}); required except under the {@code local}
 * profile, which generates one per start
 * @param tokenLifetime how long a token is valid: at most 60 s
 */
@ConfigurationProperties("switchboard.identity")
public record InternalTokenProperties(@Nullable String signingKey, @DefaultValue("30s") Duration tokenLifetime) {

}

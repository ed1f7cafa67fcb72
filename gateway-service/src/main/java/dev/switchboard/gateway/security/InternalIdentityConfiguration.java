package dev.switchboard.gateway.security;

import java.time.Clock;
import java.util.Map;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.switchboard.support.identity.InternalTokens;

/** The signer of internal identity tokens and the public keys that verify them. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(InternalTokenProperties.class)
class InternalIdentityConfiguration {

	@Bean
	InternalTokenIssuer internalTokenIssuer(InternalTokenProperties properties, Environment environment, Clock clock) {
		return InternalTokenIssuer.of(properties, environment.acceptsProfiles(Profiles.of("local")), clock);
	}

	/** The gateway's public keys, for the services to verify its tokens with. */
	@RestController
	static class JwksController {

		private final InternalTokenIssuer issuer;

		JwksController(InternalTokenIssuer issuer) {
			this.issuer = issuer;
		}

		@Operation(operationId = "getInternalIdentityKeys",
				summary = "Get the public keys that verify the gateway's internal identity tokens")
		@SecurityRequirements
		@GetMapping(InternalTokens.JWKS_PATH)
		Map<String, Object> jwks() {
			return this.issuer.publicKeys();
		}

	}

}

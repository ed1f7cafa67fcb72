package dev.switchboard.support.identity;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

import dev.switchboard.events.Role;
import dev.switchboard.testsupport.TestIdentity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InternalTokenDecoderTests {

	private final ReactiveJwtDecoder decoder = InternalIdentityAutoConfiguration
		.decoder(new InternalIdentityProperties(true, null, TestIdentity.jwks()), "inbox-service");

	@Test
	void whenTheTokenIsTheGatewaysForThisServiceThenItIsAccepted() {
		Jwt jwt = this.decoder.decode(TestIdentity.token("inbox-service", "acme", "olivia", "OWNER,AGENT")).block();
		assertThat(jwt).isNotNull();
		assertThat(jwt.getClaimAsStringList("roles")).containsExactly("OWNER", "AGENT");
	}

	@Test
	void whenAnythingAboutTheTokenIsWrongThenItIsRefused() {
		Instant now = Instant.now();
		List<String> refused = List.of(TestIdentity.token("billing-service", "acme", "olivia", "OWNER"),
				TestIdentity.sign(claims().issuer("someone-else").build()),
				TestIdentity.sign(claims().issuedAt(now.minus(Duration.ofMinutes(3)))
					.expiresAt(now.minus(Duration.ofMinutes(2)))
					.build()),
				TestIdentity.sign(claims().claims((c) -> c.remove("exp")).build()),
				TestIdentity.sign(claims().issuedAt(now).expiresAt(now.plus(Duration.ofSeconds(61))).build()),
				TestIdentity.sign(claims().claims((c) -> c.remove("iat")).build()),
				TestIdentity
					.sign(claims().claims((c) -> c.remove("iat")).expiresAt(now.plus(Duration.ofDays(365))).build()),
				TestIdentity.signWithAnotherKey(claims().build()));
		for (int i = 0; i < refused.size(); i++) {
			String token = refused.get(i);
			assertThatThrownBy(() -> this.decoder.decode(token).block()).as("token %d", i)
				.isInstanceOf(JwtException.class);
		}
	}

	@Test
	void whenAServiceHasNoKeysThenItRefusesToStartNamingTheVariables() {
		assertThatIllegalStateException()
			.isThrownBy(() -> InternalIdentityAutoConfiguration.decoder(new InternalIdentityProperties(true, null, " "),
					"inbox-service"))
			.withMessageContaining("SWITCHBOARD_IDENTITY_JWK_SET_URI")
			.withMessageContaining("SWITCHBOARD_IDENTITY_JWKS");
	}

	@Test
	void whenATenantsTokenNamesPlatformRolesThenTheyGrantNothing() {
		Jwt tenant = Jwt.withTokenValue("t")
			.header("alg", "ES256")
			.claims((c) -> c.putAll(Map.of("sub", "x", "tenant", "acme", "roles", List.of("SRE", "OPERATOR", "AGENT"))))
			.build();
		assertThat(InternalIdentityAutoConfiguration.roles(tenant, false)).containsExactly(Role.AGENT);
		assertThat(InternalIdentityAutoConfiguration.roles(tenant, true)).containsExactly(Role.AGENT, Role.SRE,
				Role.OPERATOR);
	}

	private static JwtClaimsSet.Builder claims() {
		return TestIdentity.claims("inbox-service", "acme", "olivia", "OWNER");
	}

}

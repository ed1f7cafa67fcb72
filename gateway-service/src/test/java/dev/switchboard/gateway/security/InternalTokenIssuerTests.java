package dev.switchboard.gateway.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidationException;

import dev.switchboard.events.Role;
import dev.switchboard.gateway.tenant.GatewayProperties;
import dev.switchboard.support.identity.InternalIdentityAutoConfiguration;
import dev.switchboard.support.identity.InternalIdentityProperties;
import dev.switchboard.testsupport.TestIdentity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InternalTokenIssuerTests {

	private final Clock clock = Clock.systemUTC();

	@Test
	void whenNoSigningKeyOutsideTheLocalProfileThenTheGatewayRefusesToStart() {
		assertThatIllegalStateException()
			.isThrownBy(() -> InternalTokenIssuer.of(new InternalTokenProperties(null, Duration.ofSeconds(30)), false,
					this.clock))
			.withMessageContaining("SWITCHBOARD_IDENTITY_SIGNING_KEY");
		assertThatIllegalStateException()
			.isThrownBy(() -> InternalTokenIssuer.of(new InternalTokenProperties(" ", Duration.ofSeconds(30)), false,
					this.clock))
			.withMessageContaining("SWITCHBOARD_IDENTITY_SIGNING_KEY");
	}

	@Test
	void whenTheSigningKeyIsPublicOrNotAJwkThenTheGatewayRefusesToStart() {
		String publicOnly = TestIdentity.jwks().replaceFirst("^\\{\"keys\":\\[", "").replaceFirst("]}$", "");
		for (String key : List.of(publicOnly, "not json")) {
			assertThatIllegalStateException()
				.isThrownBy(() -> InternalTokenIssuer.of(new InternalTokenProperties(key, Duration.ofSeconds(30)),
						false, this.clock))
				.withMessageContaining("SWITCHBOARD_IDENTITY_SIGNING_KEY");
		}
	}

	@Test
	void whenTheLifetimeIsOverSixtySecondsThenTheGatewayRefusesToStart() {
		assertThatIllegalStateException()
			.isThrownBy(() -> InternalTokenIssuer
				.of(new InternalTokenProperties(TestIdentity.SIGNING_KEY, Duration.ofSeconds(61)), false, this.clock))
			.withMessageContaining("token-lifetime");
	}

	@Test
	void whenTheLocalProfileHasNoKeyThenOneIsGeneratedAndPublished() {
		InternalTokenIssuer issuer = InternalTokenIssuer.of(new InternalTokenProperties(null, Duration.ofSeconds(30)),
				true, this.clock);
		Map<String, Object> keys = issuer.publicKeys();
		assertThat(keys.toString()).contains("P-256").doesNotContainPattern("[{ ]d=");
		String jwks = tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(keys);
		String token = issuer.issue(new Identity("acme", "olivia", Set.of(Role.OWNER), null), "inbox-service");
		Jwt jwt = InternalIdentityAutoConfiguration
			.decoder(new InternalIdentityProperties(true, null, jwks), "inbox-service")
			.decode(token)
			.block();
		assertThat(jwt).isNotNull();
		assertThat(jwt.getClaimAsStringList("roles")).containsExactly("OWNER");
		assertThat(jwt.hasClaim("api_key")).isFalse();
	}

	@Test
	void whenAnApiKeyCallsThenTheTokenNamesTheKeyAndTheServiceVerifiesIt() {
		InternalTokenIssuer issuer = InternalTokenIssuer
			.of(new InternalTokenProperties(TestIdentity.SIGNING_KEY, Duration.ofSeconds(20)), false, this.clock);
		String token = issuer.issue(new Identity("acme", "api-key:k1", EnumSet.of(Role.AGENT, Role.ADMIN), "k1"),
				"routing-service");
		Jwt jwt = InternalIdentityAutoConfiguration
			.decoder(new InternalIdentityProperties(true, null, TestIdentity.jwks()), "routing-service")
			.decode(token)
			.block();
		assertThat(jwt).isNotNull();
		assertThat(jwt.getHeaders()).containsEntry("kid", TestIdentity.KEY_ID).containsEntry("alg", "ES256");
		assertThat(jwt.getClaimAsString("api_key")).isEqualTo("k1");
		assertThat(jwt.getClaimAsStringList("roles")).containsExactly("ADMIN", "AGENT");
		assertThat(Duration.between(jwt.getIssuedAt(), jwt.getExpiresAt())).isEqualTo(Duration.ofSeconds(20));
	}

	@Test
	void whenATokenIsOlderThanItsLifetimeThenTheServiceRefusesIt() {
		Clock past = Clock.fixed(Instant.now().minus(Duration.ofMinutes(2)), ZoneOffset.UTC);
		InternalTokenIssuer issuer = InternalTokenIssuer
			.of(new InternalTokenProperties(TestIdentity.SIGNING_KEY, Duration.ofSeconds(30)), false, past);
		String token = issuer.issue(new Identity("acme", "olivia", Set.of(Role.OWNER), null), "inbox-service");
		assertThatThrownBy(() -> InternalIdentityAutoConfiguration
			.decoder(new InternalIdentityProperties(true, null, TestIdentity.jwks()), "inbox-service")
			.decode(token)
			.block()).isInstanceOf(JwtValidationException.class);
	}

	@Test
	void whenACallerIsOutsideThePlatformTenantOrAnApiKeyThenPlatformRolesAreDropped() {
		Set<Role> all = EnumSet.allOf(Role.class);
		assertThat(new Identity("acme", "mallory", all, null).withPlatformRolesOnlyFor("platform").roles())
			.containsExactlyInAnyOrder(Role.OWNER, Role.ADMIN, Role.AGENT, Role.FINANCE);
		assertThat(new Identity("platform", "api-key:k", all, "k").withPlatformRolesOnlyFor("platform").roles())
			.doesNotContain(Role.SRE, Role.OPERATOR);
		assertThat(new Identity("platform", "sam", all, null).withPlatformRolesOnlyFor("platform").roles())
			.containsAll(all);
	}

	@Test
	void whenAWhatsAppTenantHasThePlatformTenantsIdThenTheGatewayRefusesToStart() {
		SecurityProperties security = new SecurityProperties(
				new SecurityProperties.Jwt("http://127.0.0.1:9/unused", null, "switchboard", "tenant", "roles", "sub"),
				"platform");
		GatewayProperties clash = new GatewayProperties(
				List.of(new GatewayProperties.Tenant("platform", "1065", "secret", "verify", null)));
		assertThatIllegalStateException().isThrownBy(() -> SecurityConfiguration.platformTenant(security, clash))
			.withMessageContaining("switchboard.security.platform-tenant");
		assertThat(SecurityConfiguration.platformTenant(security, new GatewayProperties(List.of())))
			.isEqualTo("platform");
	}

	@Test
	void whenARouteHasNoAudienceMetadataThenItsIdNamesTheService() {
		Route withMetadata = Route.async()
			.id("anything")
			.uri("http://127.0.0.1:1")
			.predicate((exchange) -> true)
			.metadata("audience", "audit-service")
			.build();
		Route withoutMetadata = Route.async()
			.id("routing-window")
			.uri("http://127.0.0.1:1")
			.predicate((e) -> true)
			.build();
		assertThat(IdentityRelay.audience(withMetadata)).isEqualTo("audit-service");
		assertThat(IdentityRelay.audience(withoutMetadata)).isEqualTo("routing-service");
	}

}

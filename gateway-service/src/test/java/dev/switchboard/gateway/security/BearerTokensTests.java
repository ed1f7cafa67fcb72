package dev.switchboard.gateway.security;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;
import reactor.test.StepVerifier;

import dev.switchboard.events.Role;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class BearerTokensTests {

	@Test
	void whenNoIssuerIsConfiguredThenStartupFailsNamingTheVariable() {
		assertThatIllegalStateException()
			.isThrownBy(() -> BearerTokens
				.decoder(new SecurityProperties.Jwt(null, null, "switchboard", "tenant", "roles", "sub")))
			.withMessageContaining("SWITCHBOARD_SECURITY_JWT_ISSUER_URI");
	}

	@Test
	void whenTheRolesClaimIsADottedPathThenKeycloaksNestedRolesAreRead() {
		Jwt jwt = jwt(Map.of("sub", "olivia", "tenant", "demo", "realm_access",
				Map.of("roles", List.of("owner", "offline_access", "default-roles-switchboard"))));
		assertThat(BearerTokens.roles(jwt, "realm_access.roles")).containsExactly(Role.OWNER);
	}

	@Test
	void whenTheTokenNamesTenantAndRolesThenTheIdentityCarriesThem() {
		Jwt jwt = jwt(Map.of("sub", "mario", "tenant", "demo", "roles", List.of("AGENT", "ADMIN")));
		StepVerifier.create(BearerTokens.identities(settings("tenant", "roles"), "platform").convert(jwt))
			.assertNext((authentication) -> assertThat(authentication.getPrincipal())
				.isEqualTo(new Identity("demo", "mario", java.util.Set.of(Role.AGENT, Role.ADMIN), null)))
			.verifyComplete();
	}

	@Test
	void whenTheTenantClaimIsMissingThenTheTokenIsRefused() {
		Jwt jwt = jwt(Map.of("sub", "mario", "roles", List.of("AGENT")));
		StepVerifier.create(BearerTokens.identities(settings("tenant", "roles"), "platform").convert(jwt))
			.expectErrorMessage("The token needs the claims sub and tenant")
			.verify();
	}

	@Test
	void whenTheSubjectClaimIsConfiguredThenTheUserIsNamedByItNotBySub() {
		Jwt jwt = jwt(Map.of("sub", "0b6f3c1e-5d7a-4a8e-9a51-2f0c3d9e7b10", "switchboard_user", "mario", "tenant",
				"demo", "roles", List.of("AGENT")));
		SecurityProperties.Jwt keycloak = new SecurityProperties.Jwt("http://127.0.0.1:9000", null, "switchboard",
				"tenant", "roles", "switchboard_user");
		StepVerifier.create(BearerTokens.identities(keycloak, "platform").convert(jwt))
			.assertNext((authentication) -> assertThat(((Identity) authentication.getPrincipal()).subject())
				.isEqualTo("mario"))
			.verifyComplete();
	}

	@Test
	void whenTheConfiguredSubjectClaimIsMissingThenTheTokenIsRefused() {
		Jwt jwt = jwt(
				Map.of("sub", "0b6f3c1e-5d7a-4a8e-9a51-2f0c3d9e7b10", "tenant", "demo", "roles", List.of("AGENT")));
		SecurityProperties.Jwt keycloak = new SecurityProperties.Jwt("http://127.0.0.1:9000", null, "switchboard",
				"tenant", "roles", "switchboard_user");
		StepVerifier.create(BearerTokens.identities(keycloak, "platform").convert(jwt))
			.expectErrorMessage("The token needs the claims switchboard_user and tenant")
			.verify();
	}

	@Test
	void whenTheTokenHasNoRolesThenTheIdentityHasNone() {
		Jwt jwt = jwt(Map.of("sub", "nora", "tenant", "demo", "roles", List.of()));
		assertThat(BearerTokens.roles(jwt, "roles")).isEmpty();
		assertThat(BearerTokens.roles(jwt, "realm_access.roles")).isEmpty();
	}

	private static SecurityProperties.Jwt settings(String tenantClaim, String rolesClaim) {
		return new SecurityProperties.Jwt("http://127.0.0.1:9000", null, "switchboard", tenantClaim, rolesClaim, "sub");
	}

	private static Jwt jwt(Map<String, Object> claims) {
		Jwt.Builder builder = Jwt.withTokenValue("t")
			.header("alg", "RS256")
			.issuedAt(Instant.now())
			.expiresAt(Instant.now().plusSeconds(60));
		claims.forEach(builder::claim);
		return builder.build();
	}

}

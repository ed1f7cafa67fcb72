package dev.switchboard.inbox;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.switchboard.testsupport.TestIdentity;

/**
 * The inbox believes only the gateway's internal identity token (service-support's
 * resource server chain, which every service runs): whoever reaches its port without one
 * is nobody.
 */
@InboxIntegrationTest
class InternalIdentityIT {

	private static final String AUDIENCE = "inbox-service";

	@Autowired
	private WebTestClient http;

	@LocalManagementPort
	private int managementPort;

	@Test
	void whenIdentityHeadersAreForgedWithoutATokenThenUnauthorized() {
		this.http.get()
			.uri("/api/v1/conversations")
			.header("X-Switchboard-Tenant", "acme")
			.header("X-Switchboard-Subject", "olivia")
			.header("X-Switchboard-Roles", "OWNER")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void whenTheTokenIsNotAValidInternalTokenForThisServiceThenUnauthorized() {
		String tenant = "tenant-" + UUID.randomUUID();
		Instant now = Instant.now();
		List<String> refused = List.of(
				// none at all is covered above; a token for another service:
				TestIdentity.token("billing-service", tenant, "olivia", "OWNER"),
				// another issuer (the user-facing OIDC provider, say):
				TestIdentity.sign(claims(tenant).issuer("https://login.example.com").build()),
				// expired:
				TestIdentity.sign(claims(tenant).issuedAt(now.minus(Duration.ofMinutes(3)))
					.expiresAt(now.minus(Duration.ofMinutes(2)))
					.build()),
				// no exp:
				TestIdentity.sign(claims(tenant).claims((claims) -> claims.remove("exp")).build()),
				// valid for longer than 60 s:
				TestIdentity.sign(claims(tenant).issuedAt(now).expiresAt(now.plus(Duration.ofSeconds(61))).build()),
				// no iat, so no provable lifetime:
				TestIdentity.sign(claims(tenant).claims((claims) -> claims.remove("iat")).build()),
				// signed by someone else under the gateway's key id:
				TestIdentity.signWithAnotherKey(claims(tenant).build()),
				// not even a JWS:
				"not-a-token");
		for (String token : refused) {
			this.http.get()
				.uri("/api/v1/conversations")
				.headers((headers) -> headers.setBearerAuth(token))
				.exchange()
				.expectStatus()
				.isUnauthorized()
				.expectHeader()
				.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
		}
	}

	@Test
	void whenTheTokenCarriesNoKnownRoleThenForbidden() {
		String tenant = "tenant-" + UUID.randomUUID();
		for (String[] roles : List.of(new String[0], new String[] { "SUPERUSER" },
				// platform roles count only for the platform tenant
				new String[] { "SRE", "OPERATOR" })) {
			this.http.get()
				.uri("/api/v1/conversations")
				.headers((headers) -> headers.setBearerAuth(TestIdentity.token(AUDIENCE, tenant, "nobody", roles)))
				.exchange()
				.expectStatus()
				.isForbidden()
				.expectHeader()
				.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
		}
	}

	@Test
	void whenTheTokenIsValidThenTheCallerIsItsTenant() {
		String tenant = "tenant-" + UUID.randomUUID();
		this.http.get()
			.uri("/api/v1/conversations")
			.headers((headers) -> headers.setBearerAuth(TestIdentity.token(AUDIENCE, tenant, "mario", "AGENT")))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.items.length()")
			.isEqualTo(0);
		// Health is on the management port, outside the identity check.
		WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.managementPort)
			.build()
			.get()
			.uri("/actuator/health")
			.exchange()
			.expectStatus()
			.isOk();
	}

	private static JwtClaimsSet.Builder claims(String tenant) {
		return TestIdentity.claims(AUDIENCE, tenant, "olivia", "OWNER");
	}

}

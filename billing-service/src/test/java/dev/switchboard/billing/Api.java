package dev.switchboard.billing;

import org.springframework.test.web.reactive.server.WebTestClient;

import dev.switchboard.testsupport.TestIdentity;

/** Calls billing's API the way the gateway does, as a tenant's user with roles. */
final class Api {

	private Api() {
	}

	static WebTestClient as(WebTestClient http, String tenant, String roles) {
		String subject = "user-" + roles.toLowerCase(java.util.Locale.ROOT);
		return http.mutate().filter(TestIdentity.bearer("billing-service", tenant, subject, roles)).build();
	}

}

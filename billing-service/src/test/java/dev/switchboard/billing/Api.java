package dev.switchboard.billing;

import org.springframework.test.web.reactive.server.WebTestClient;

import dev.switchboard.events.IdentityHeaders;

/** Calls billing's API the way the gateway does, as a tenant's user with roles. */
final class Api {

	private Api() {
	}

	static WebTestClient as(WebTestClient http, String tenant, String roles) {
		return http.mutate()
			.defaultHeader(IdentityHeaders.TENANT, tenant)
			.defaultHeader(IdentityHeaders.SUBJECT, "user-" + roles.toLowerCase(java.util.Locale.ROOT))
			.defaultHeader(IdentityHeaders.ROLES, roles)
			.build();
	}

}

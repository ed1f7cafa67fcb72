package dev.switchboard.billing;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.ApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.switchboard.testsupport.ApiDocumentation;
import dev.switchboard.testsupport.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

@IntegrationTest
@AutoConfigureWebTestClient
class ApiDocumentationIT {

	@Autowired
	private WebTestClient http;

	@Autowired
	private ApplicationContext context;

	@Test
	void whenTheApiIsDocumentedThenEveryBillingRouteIsInTheDocumentAndTheCallerIsNoParameter() {
		assertThat(ApiDocumentation.assertEveryPublicRouteDocumented(this.http, this.context))
			.allMatch((path) -> path.startsWith("/api/v1/billing/"))
			.contains("/api/v1/billing/invoices/{id}/recompute", "/api/v1/billing/late-replies");
	}

}

package dev.switchboard.audit;

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
	void whenTheApiIsDocumentedThenEveryAuditRouteIsInTheDocumentAndTheCallerIsNoParameter() {
		assertThat(ApiDocumentation.assertEveryPublicRouteDocumented(this.http, this.context)).contains(
				"/api/v1/devices", "/api/v1/messages/{id}/info", "/api/v1/audit/verify",
				"/api/v1/audit/entries/{logIndex}/inclusion-proof");
	}

}

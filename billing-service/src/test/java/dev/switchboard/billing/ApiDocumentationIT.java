package dev.switchboard.billing;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.ApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.json.JsonMapper;

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
		String document = this.http.mutate()
			.responseTimeout(java.time.Duration.ofSeconds(60))
			.build()
			.get()
			.uri("/v3/api-docs")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(ApiDocumentation.publicRoutes(this.context)).allMatch((path) -> path.startsWith("/api/v1/billing/"))
			.contains("/api/v1/billing/invoices/{id}/recompute", "/api/v1/billing/late-replies");
		assertThat(ApiDocumentation.undocumented(this.context, JsonMapper.builder().build().readTree(document)))
			.isEmpty();
		assertThat(document).doesNotContain("\"caller\"");
	}

}

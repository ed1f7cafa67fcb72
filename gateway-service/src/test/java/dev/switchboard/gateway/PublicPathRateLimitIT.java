package dev.switchboard.gateway;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.switchboard.testsupport.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-client-address limit on the public paths, with a small bucket. The test
 * client's address is 127.0.0.1, configured as a trusted proxy, so that
 * {@code X-Forwarded-For} gives each test a client address of its own.
 */
@IntegrationTest
@AutoConfigureWebTestClient
@TestPropertySource(properties = { // No bearer token is verified here: no provider needs
									// to run.
		"switchboard.security.jwt.issuer-uri=http://127.0.0.1:9/unused",
		"switchboard.gateway.rate-limit.per-client-address.capacity=3",
		"switchboard.gateway.rate-limit.per-client-address.refill-per-second=0.1",
		"switchboard.gateway.rate-limit.per-client-address.trusted-proxies=127.0.0.1,::1" })
class PublicPathRateLimitIT {

	@Autowired
	private WebTestClient http;

	@Autowired
	private MeterRegistry meters;

	@Test
	void whenOneAddressFloodsTheWebhooksThenTooManyRequestsWithRetryAfterAndOtherAddressesStillPass() {
		String client = "203.0.113.1";
		double limitedBefore = this.meters.counter("switchboard.gateway.rate.limited", "limit", "client_address")
			.count();
		for (int i = 0; i < 3; i++) {
			webhook(client).expectStatus().isUnauthorized();
		}
		webhook(client).expectStatus()
			.isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
			.expectHeader()
			.valueEquals("Retry-After", "10")
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo(429);
		// The same bucket covers the other public paths.
		this.http.get()
			.uri("/v3/api-docs/gateway")
			.header("X-Forwarded-For", client)
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
		webhook("203.0.113.2").expectStatus().isUnauthorized();
		assertThat(this.meters.counter("switchboard.gateway.rate.limited", "limit", "client_address").count())
			.isEqualTo(limitedBefore + 2);
	}

	@Test
	void whenTheApiIsCalledThenThePublicPathLimitDoesNotApply() {
		String client = "203.0.113.3";
		for (int i = 0; i < 5; i++) {
			this.http.get()
				.uri("/api/v1/conversations")
				.header("X-Forwarded-For", client)
				.exchange()
				.expectStatus()
				.isUnauthorized();
		}
	}

	private WebTestClient.ResponseSpec webhook(String client) {
		return this.http.post()
			.uri("/webhooks/whatsapp")
			.header("X-Forwarded-For", client)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"object\":\"whatsapp_business_account\",\"entry\":[]}")
			.exchange();
	}

}

package dev.switchboard.gateway;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.switchboard.events.ConversationIds;
import dev.switchboard.events.Topics;
import dev.switchboard.events.WhatsAppMessageReceived;
import dev.switchboard.events.WhatsAppStatusReceived;
import dev.switchboard.testsupport.IntegrationTest;
import dev.switchboard.testsupport.RealInfrastructure;
import dev.switchboard.testsupport.TestEvents;
import dev.switchboard.testsupport.WhatsAppWebhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@IntegrationTest
@AutoConfigureWebTestClient
@TestPropertySource(properties = { "switchboard.gateway.tenants[0].id=acme",
		"switchboard.gateway.tenants[0].phone-number-id=106540352242922",
		"switchboard.gateway.tenants[0].app-secret=acme-app-secret",
		"switchboard.gateway.tenants[0].verify-token=acme-verify-token",
		"switchboard.gateway.tenants[0].waba-id=102290129340398", "switchboard.gateway.tenants[1].id=globex",
		"switchboard.gateway.tenants[1].phone-number-id=106540352242999",
		"switchboard.gateway.tenants[1].app-secret=globex-app-secret",
		"switchboard.gateway.tenants[1].verify-token=globex-verify-token",
		"switchboard.gateway.tenants[1].waba-id=102290129340999",
		// Webhooks never reach token verification, which fetches the issuer's keys only
		// for a first bearer token: no provider needs to run.
		"switchboard.security.jwt.issuer-uri=http://127.0.0.1:9/unused" })

class WhatsAppWebhookIT {

	private static final String PHONE_NUMBER_ID = "106540352242922";

	private static final String SECRET = "acme-app-secret";

	private static final String UNAUTHORIZED = "X-Hub-Signature-256 must be sha256= and the HMAC-SHA256 of the raw body with the app secret";

	private static TestEvents events;

	@Autowired
	private WebTestClient http;

	@LocalManagementPort
	private int managementPort;

	@Autowired
	private MeterRegistry meters;

	@BeforeAll
	static void connect() {
		events = new TestEvents(RealInfrastructure.get().kafkaBootstrapServers());
	}

	@AfterAll
	static void disconnect() {
		events.close();
	}

	@Test
	void whenMetaSendsTheVerificationChallengeWithTheTokenThenItIsEchoed() {
		this.http.get()
			.uri("/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=acme-verify-token&hub.challenge=1158201444")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.isEqualTo("1158201444");
	}

	@Test
	void whenTheVerifyTokenIsWrongThenForbidden() {
		this.http.get()
			.uri("/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1158201444")
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void whenSignedMessageArrivesThenItIsPublishedKeyedByConversationBeforeTheOk() {
		String wamid = "wamid." + UUID.randomUUID();
		Instant sentAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		String body = WhatsAppWebhooks.textMessage(PHONE_NUMBER_ID, "393331234567", "Giulia", wamid, sentAt,
				"Where is my order?");

		post(body, WhatsAppWebhooks.signature(SECRET, body)).expectStatus().isOk();

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(events.of(WhatsAppMessageReceived.class))
				.filteredOn((r) -> ((WhatsAppMessageReceived) r.event()).wamid().equals(wamid))
				.singleElement()
				.satisfies((r) -> {
					WhatsAppMessageReceived event = (WhatsAppMessageReceived) r.event();
					assertThat(r.topic()).isEqualTo(Topics.WHATSAPP_INBOUND);
					assertThat(r.key()).isEqualTo(ConversationIds.of("acme", "393331234567"));
					assertThat(event.tenantId()).isEqualTo("acme");
					assertThat(event.profileName()).isEqualTo("Giulia");
					assertThat(event.timestamp()).isEqualTo(sentAt);
					assertThat(event.message()).contains("Where is my order?");
				}));
	}

	@Test
	void whenAWebhookCarriesATraceContextThenItsRecordsContinueTheTrace() {
		String traceId = UUID.randomUUID().toString().replace("-", "");
		String wamid = "wamid." + UUID.randomUUID();
		String body = WhatsAppWebhooks.textMessage(PHONE_NUMBER_ID, "393331234567", "Giulia", wamid, Instant.now(),
				"trace me");

		this.http.post()
			.uri("/webhooks/whatsapp")
			.contentType(MediaType.APPLICATION_JSON)
			.header("X-Hub-Signature-256", WhatsAppWebhooks.signature(SECRET, body))
			.header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
			// Webhooks are outside the security chain: a stray bearer token is not looked
			// at.
			.header("Authorization", "Bearer not-a-token")
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isOk();

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(events.of(WhatsAppMessageReceived.class))
				.filteredOn((r) -> ((WhatsAppMessageReceived) r.event()).wamid().equals(wamid))
				.singleElement()
				.satisfies((r) -> assertThat(r.headers().get("traceparent")).startsWith("00-" + traceId + "-")
					.doesNotContain("00f067aa0ba902b7")));
		assertThat(this.meters.get("switchboard.webhooks.publish").timer().count()).isPositive();
	}

	@Test
	void whenSignedStatusArrivesThenItIsPublished() {
		String wamid = "wamid." + UUID.randomUUID();
		String body = WhatsAppWebhooks.status(PHONE_NUMBER_ID, "393331234567", wamid, "delivered", Instant.now());

		post(body, WhatsAppWebhooks.signature(SECRET, body)).expectStatus().isOk();

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(events.of(WhatsAppStatusReceived.class))
				.anyMatch((r) -> ((WhatsAppStatusReceived) r.event()).wamid().equals(wamid)
						&& ((WhatsAppStatusReceived) r.event()).status().equals("delivered")));
	}

	@Test
	void whenSignatureIsWrongOrMissingThenUnauthorizedAndNothingIsPublished() {
		String wamid = "wamid." + UUID.randomUUID();
		String body = WhatsAppWebhooks.textMessage(PHONE_NUMBER_ID, "393331234567", "Giulia", wamid, Instant.now(),
				"forged");

		post(body, WhatsAppWebhooks.signature("not-the-secret", body)).expectStatus()
			.isUnauthorized()
			.expectBody()
			.jsonPath("$.detail")
			.isEqualTo(UNAUTHORIZED);
		post(body, null).expectStatus().isUnauthorized();
		String tampered = body.replace("forged", "FORGED");
		post(tampered, WhatsAppWebhooks.signature(SECRET, body)).expectStatus().isUnauthorized();

		String marker = "wamid." + UUID.randomUUID();
		String later = WhatsAppWebhooks.textMessage(PHONE_NUMBER_ID, "393331234567", "Giulia", marker, Instant.now(),
				"genuine");
		post(later, WhatsAppWebhooks.signature(SECRET, later)).expectStatus().isOk();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(events.of(WhatsAppMessageReceived.class))
				.anyMatch((r) -> ((WhatsAppMessageReceived) r.event()).wamid().equals(marker)));
		assertThat(events.of(WhatsAppMessageReceived.class))
			.noneMatch((r) -> ((WhatsAppMessageReceived) r.event()).wamid().equals(wamid));
	}

	@Test
	void whenAWebhookIsUnsignedOrWronglySignedThenTheSameUnauthorizedProblemWhateverItNames() {
		double unsignedBefore = this.meters.counter("switchboard.webhooks.received", "outcome", "unsigned").count();
		double wrongBefore = this.meters.counter("switchboard.webhooks.received", "outcome", "signature").count();
		String known = WhatsAppWebhooks.textMessage(PHONE_NUMBER_ID, "393331234567", "Giulia", "wamid.k", Instant.now(),
				"hi");
		String unknown = WhatsAppWebhooks.textMessage("999", "393331234567", "Giulia", "wamid.u", Instant.now(), "hi");
		String notJson = "{not json";
		String reference = unauthorized(unknown, null);
		assertThat(reference).contains(UNAUTHORIZED);
		assertThat(unauthorized(known, null)).isEqualTo(reference);
		assertThat(unauthorized(notJson, null)).isEqualTo(reference);
		assertThat(unauthorized(known, "sha256=not-hex")).isEqualTo(reference);
		assertThat(unauthorized(known, WhatsAppWebhooks.signature("guess", known))).isEqualTo(reference);
		assertThat(unauthorized(unknown, WhatsAppWebhooks.signature("guess", unknown))).isEqualTo(reference);
		assertThat(unauthorized(notJson, WhatsAppWebhooks.signature("guess", notJson))).isEqualTo(reference);
		assertThat(unauthorized(known, "sha256=" + "0".repeat(64))).isEqualTo(reference);
		// Signed by another tenant's Meta app.
		assertThat(unauthorized(known, WhatsAppWebhooks.signature("globex-app-secret", known))).isEqualTo(reference);
		assertThat(this.meters.counter("switchboard.webhooks.received", "outcome", "unsigned").count())
			.isEqualTo(unsignedBefore + 4);
		assertThat(this.meters.counter("switchboard.webhooks.received", "outcome", "signature").count())
			.isEqualTo(wrongBefore + 5);
	}

	@Test
	void whenAnotherTenantsAppSignsItsOwnNumberThenItIsPublishedForThatTenant() {
		String wamid = "wamid." + UUID.randomUUID();
		String body = WhatsAppWebhooks.textMessage("106540352242999", "393331234567", "Giulia", wamid, Instant.now(),
				"hello globex");
		post(body, WhatsAppWebhooks.signature("globex-app-secret", body)).expectStatus().isOk();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(events.of(WhatsAppMessageReceived.class))
				.anyMatch((r) -> ((WhatsAppMessageReceived) r.event()).wamid().equals(wamid)
						&& ((WhatsAppMessageReceived) r.event()).tenantId().equals("globex")));
	}

	@Test
	void whenBodyIsNotAWebhookThenBadRequestWithTheReason() {
		String body = "{\"object\":\"page\",\"entry\":[]}";
		post(body, WhatsAppWebhooks.signature(SECRET, body)).expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.detail")
			.isEqualTo("object must be \"whatsapp_business_account\"");
		post("{not json", WhatsAppWebhooks.signature(SECRET, "{not json")).expectStatus().isBadRequest();
	}

	@Test
	void whenPhoneNumberIsUnknownThenNotFound() {
		String body = WhatsAppWebhooks.textMessage("999", "393331234567", "Giulia", "wamid.x", Instant.now(), "hi");
		post(body, WhatsAppWebhooks.signature(SECRET, body)).expectStatus()
			.isNotFound()
			.expectBody()
			.jsonPath("$.detail")
			.isEqualTo("No tenant has phone_number_id 999");
	}

	@Test
	void whenBodyIsLargerThanTheLimitThenPayloadTooLarge() {
		String body = "{\"object\":\"whatsapp_business_account\",\"padding\":\"" + "x".repeat(1_100_000) + "\"}";
		post(body, WhatsAppWebhooks.signature(SECRET, body)).expectStatus().isEqualTo(413);
	}

	@Test
	void whenHealthIsAskedOnTheManagementPortThenItAnswersWithoutCredentials() {
		WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.managementPort)
			.build()
			.get()
			.uri("/actuator/health")
			.exchange()
			.expectStatus()
			.isOk();
	}

	@Test
	void whenSomeoneAsksTheGatewayForATokenThenThereIsNoMint() {
		// Tokens come from the OpenID Connect provider only.
		this.http.post()
			.uri("/api/v1/dev/tokens")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"tenant\":\"acme\",\"subject\":\"x\",\"roles\":[\"OWNER\"]}")
			.exchange()
			.expectStatus()
			.isUnauthorized();
	}

	/** The whole 401 answer, as the client sees it. */
	private String unauthorized(String body, String signature) {
		return post(body, signature).expectStatus()
			.isUnauthorized()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
	}

	private WebTestClient.ResponseSpec post(String body, String signature) {
		WebTestClient.RequestBodySpec request = this.http.post()
			.uri("/webhooks/whatsapp")
			.contentType(MediaType.APPLICATION_JSON);
		if (signature != null) {
			request.header("X-Hub-Signature-256", signature);
		}
		return request.bodyValue(body).exchange();
	}

}

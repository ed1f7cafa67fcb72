package dev.switchboard.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.switchboard.events.Topics;
import dev.switchboard.events.WhatsAppError;
import dev.switchboard.events.WhatsAppPricing;
import dev.switchboard.events.WhatsAppStatusReceived;
import dev.switchboard.events.WhatsAppTemplateUpdated;
import dev.switchboard.testsupport.IntegrationTest;
import dev.switchboard.testsupport.RealInfrastructure;
import dev.switchboard.testsupport.TestEvents;
import dev.switchboard.testsupport.WhatsAppWebhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every webhook field Meta sends, as Meta sends it (fixtures under
 * {@code meta-webhooks/}): each is acknowledged once signed; template updates are
 * published for the tenant of the WhatsApp Business Account; other fields are recorded.
 */
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
		"switchboard.security.jwt.issuer-uri=http://127.0.0.1:9/unused" })
class MetaWebhookFieldsIT {

	private static final String SECRET = "acme-app-secret";

	private static TestEvents events;

	@Autowired
	private WebTestClient http;

	@Autowired
	private MeterRegistry meters;

	@Autowired
	private DatabaseClient database;

	@BeforeAll
	static void connect() {
		events = new TestEvents(RealInfrastructure.get().kafkaBootstrapServers());
	}

	@AfterAll
	static void disconnect() {
		events.close();
	}

	@Test
	void whenATemplateIsApprovedThenTheUpdateIsPublishedForTheAccountsTenant() {
		post(fixture("template-status-approved"), SECRET).expectStatus().isOk();

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(events.of(WhatsAppTemplateUpdated.class))
				.filteredOn((r) -> ((WhatsAppTemplateUpdated) r.event()).name().equals("order_shipped")
						&& "APPROVED".equals(((WhatsAppTemplateUpdated) r.event()).status()))
				.singleElement()
				.satisfies((r) -> {
					WhatsAppTemplateUpdated updated = (WhatsAppTemplateUpdated) r.event();
					assertThat(r.topic()).isEqualTo(Topics.WHATSAPP_INBOUND);
					assertThat(r.key()).isEqualTo("acme");
					assertThat(updated.tenantId()).isEqualTo("acme");
					assertThat(updated.wabaId()).isEqualTo("102290129340398");
					assertThat(updated.templateId()).isEqualTo("806312974732579");
					assertThat(updated.language()).isEqualTo("en_US");
					assertThat(updated.category()).isEqualTo("UTILITY");
					assertThat(updated.timestamp()).isEqualTo(Instant.ofEpochSecond(1795339200));
				}));
	}

	@Test
	void whenATemplateIsRejectedThenTheReasonTravelsAndTheLanguageIsMetasSendForm() {
		post(fixture("template-status-rejected"), SECRET).expectStatus().isOk();

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(events.of(WhatsAppTemplateUpdated.class))
				.filteredOn((r) -> ((WhatsAppTemplateUpdated) r.event()).name().equals("spring_sale"))
				.singleElement()
				.satisfies((r) -> {
					WhatsAppTemplateUpdated updated = (WhatsAppTemplateUpdated) r.event();
					assertThat(updated.status()).isEqualTo("REJECTED");
					assertThat(updated.reason()).isEqualTo("INCORRECT_CATEGORY");
					assertThat(updated.language()).isEqualTo("en_US");
					assertThat(updated.change()).contains("other_info");
				}));
	}

	@Test
	void whenATemplatesQualityChangesThenTheUpdateIsPublished() {
		post(fixture("template-quality-update"), SECRET).expectStatus().isOk();

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(events.of(WhatsAppTemplateUpdated.class))
				.filteredOn(
						(r) -> ((WhatsAppTemplateUpdated) r.event()).field().equals("message_template_quality_update"))
				.singleElement()
				.satisfies((r) -> {
					WhatsAppTemplateUpdated updated = (WhatsAppTemplateUpdated) r.event();
					assertThat(updated.quality()).isEqualTo("YELLOW");
					assertThat(updated.status()).isNull();
					assertThat(updated.tenantId()).isEqualTo("acme");
				}));
	}

	@Test
	void whenAccountAndPhoneNumberUpdatesArriveThenTheyAreAcknowledgedAndRecordedOnly() {
		double accountBefore = fieldCount("account_update");
		double qualityBefore = fieldCount("phone_number_quality_update");
		int templatesBefore = events.of(WhatsAppTemplateUpdated.class).size();

		post(fixture("account-update"), SECRET).expectStatus().isOk();
		post(fixture("phone-number-quality-update"), SECRET).expectStatus().isOk();

		assertThat(fieldCount("account_update")).isEqualTo(accountBefore + 1);
		assertThat(fieldCount("phone_number_quality_update")).isEqualTo(qualityBefore + 1);
		List<String> recorded = this.database
			.sql("SELECT field || ':' || tenant_id || ':' || (value ->> 'event') AS notice FROM webhook_notice"
					+ " WHERE waba_id = '102290129340398' ORDER BY id")
			.map((row) -> row.get("notice", String.class))
			.all()
			.collectList()
			.block();
		assertThat(recorded).contains("account_update:acme:VERIFIED_ACCOUNT",
				"phone_number_quality_update:acme:FLAGGED");
		assertThat(events.of(WhatsAppTemplateUpdated.class)).hasSize(templatesBefore);
	}

	@Test
	void whenAFieldIsUnknownOrItsAccountIsNobodysThenItIsStillAcknowledged() {
		String body = """
				{"object":"whatsapp_business_account","entry":[{"id":"555000111","time":1795339600,"changes":[
				{"field":"some_future_field","value":{"anything":true}}]}]}""";
		double before = fieldCount("other");

		post(body, SECRET).expectStatus().isOk();

		assertThat(fieldCount("other")).isEqualTo(before + 1);
		assertThat(this.database
			.sql("SELECT count(*) AS n FROM webhook_notice WHERE waba_id = '555000111' AND tenant_id IS NULL")
			.map((row) -> row.get("n", Long.class))
			.one()
			.block()).isEqualTo(1L);
	}

	@Test
	void whenAnAccountUpdateIsSignedByAnotherTenantsAppThenUnauthorized() {
		post(fixture("account-update"), "globex-app-secret").expectStatus().isUnauthorized();
		post(fixture("template-status-approved"), "globex-app-secret").expectStatus().isUnauthorized();
	}

	@Test
	void whenATemplateUpdateNamesAnUnknownAccountThenNotFound() {
		String body = fixture("template-status-approved").replace("102290129340398", "777");
		post(body, SECRET).expectStatus()
			.isNotFound()
			.expectBody()
			.jsonPath("$.detail")
			.isEqualTo("No tenant has WhatsApp Business Account id 777");
	}

	@Test
	void whenAStatusFailedThenMetasErrorsTravelInFull() {
		post(fixture("status-failed"), SECRET).expectStatus().isOk();

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(events.of(WhatsAppStatusReceived.class))
				.filteredOn((r) -> ((WhatsAppStatusReceived) r.event()).wamid()
					.equals("wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJDQjZCMzlEQUE4OTJBMTE4RTUA"))
				.singleElement()
				.satisfies((r) -> {
					WhatsAppStatusReceived status = (WhatsAppStatusReceived) r.event();
					assertThat(status.status()).isEqualTo("failed");
					assertThat(status.errors()).containsExactly(new WhatsAppError(131049,
							"This message was not delivered to maintain healthy ecosystem engagement.",
							"This message was not delivered to maintain healthy ecosystem engagement.",
							"In order to maintain a healthy ecosystem engagement, the message failed to be delivered."));
					assertThat(status.pricing()).isNull();
				}));
	}

	@Test
	void whenAStatusCarriesPricingThenItTravelsWithTheStatus() {
		post(fixture("status-pricing"), SECRET).expectStatus().isOk();

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(events.of(WhatsAppStatusReceived.class))
				.filteredOn((r) -> ((WhatsAppStatusReceived) r.event()).wamid()
					.equals("wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3MTYwNjg5NzMwOTRBNkFEMTUA"))
				.singleElement()
				.satisfies((r) -> {
					WhatsAppStatusReceived status = (WhatsAppStatusReceived) r.event();
					assertThat(status.pricing()).isEqualTo(new WhatsAppPricing(true, "marketing", "PMP", "regular"));
					assertThat(status.errors()).isNull();
				}));
	}

	private double fieldCount(String field) {
		return this.meters.counter("switchboard.webhooks.fields", "field", field).count();
	}

	private static String fixture(String name) {
		try (InputStream in = MetaWebhookFieldsIT.class.getResourceAsStream("/meta-webhooks/" + name + ".json")) {
			assertThat(in).as(name).isNotNull();
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private WebTestClient.ResponseSpec post(String body, String secret) {
		return this.http.post()
			.uri("/webhooks/whatsapp")
			.contentType(MediaType.APPLICATION_JSON)
			.header("X-Hub-Signature-256", WhatsAppWebhooks.signature(secret, body))
			.bodyValue(body)
			.exchange();
	}

}

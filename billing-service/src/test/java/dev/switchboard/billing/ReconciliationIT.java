package dev.switchboard.billing;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.switchboard.events.MessageSent;
import dev.switchboard.events.WhatsAppPricing;
import dev.switchboard.testsupport.IntegrationTest;
import dev.switchboard.testsupport.RealInfrastructure;
import dev.switchboard.testsupport.TestEvents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@IntegrationTest
@AutoConfigureWebTestClient
class ReconciliationIT {

	/** A past month, whatever day the test runs. */
	private static final Instant BASE = Instant.parse("2026-10-10T10:00:00Z");

	private static TestEvents events;

	@Autowired
	private DatabaseClient database;

	@Autowired
	private WebTestClient http;

	private final JsonMapper json = JsonMapper.builder().build();

	@BeforeAll
	static void connect() {
		events = new TestEvents(RealInfrastructure.get().kafkaBootstrapServers());
	}

	@AfterAll
	static void disconnect() {
		events.close();
	}

	@Test
	void whenMetaPricesMessagesOtherwiseThanBillingChargedThemThenTheReportListsTheMismatches() {
		String tenant = "reconcile-" + UUID.randomUUID();
		Conversation conversation = new Conversation(events, tenant, "393331234567");
		conversation.customerWrites(BASE);
		MessageSent agreed = conversation.deliveredPriced(conversation.reply("agent-1", BASE.plus(1, ChronoUnit.HOURS)),
				new WhatsAppPricing(false, "service", "PMP", "free_customer_service"));
		MessageSent otherCategory = conversation.deliveredPriced(
				conversation.template("agent-1", "UTILITY", BASE.plus(30, ChronoUnit.HOURS)),
				new WhatsAppPricing(true, "marketing", "PMP", "regular"));
		MessageSent notBilledByMeta = conversation.deliveredPriced(
				conversation.template("agent-1", "MARKETING", BASE.plus(31, ChronoUnit.HOURS)),
				new WhatsAppPricing(false, "marketing", "PMP", "free_entry_point"));
		MessageSent neverDelivered = conversation.sentPriced(
				conversation.template("agent-1", "MARKETING", BASE.plus(32, ChronoUnit.HOURS)),
				new WhatsAppPricing(true, "marketing", "PMP", "regular"));
		MessageSent unpriced = conversation
			.delivered(conversation.template("agent-1", "MARKETING", BASE.plus(33, ChronoUnit.HOURS)));

		JsonNode report = await().atMost(Duration.ofSeconds(30))
			.until(() -> report(tenant, "2026-10"), (r) -> r.path("compared").asLong() == 3
					&& r.path("unreported").asLong() == 1 && r.path("uncharged").asLong() == 1);

		assertThat(report.path("month").asString()).isEqualTo("2026-10");
		assertThat(report.path("mismatches").asLong()).isEqualTo(3);
		assertThat(report.path("conversations").asLong()).isEqualTo(1);
		assertThat(report.path("categoryMismatches").asLong()).isEqualTo(1);
		assertThat(report.path("billableMismatches").asLong()).isEqualTo(1);
		assertThat(report.path("currency").asString()).isEqualTo("EUR");
		// What billing charged for the two it charged: UTILITY and MARKETING in Italy.
		assertThat(report.path("chargedOnMismatches").decimalValue()).isEqualByComparingTo("0.087500");
		java.util.List<String> lines = new java.util.ArrayList<>();
		report.path("lines").forEach((line) -> lines.add(line.path("wamid").asString() + " " + line.path("reasons")));
		assertThat(lines).containsExactly(otherCategory.wamid() + " [\"CATEGORY\"]",
				notBilledByMeta.wamid() + " [\"BILLABLE\"]", neverDelivered.wamid() + " [\"UNCHARGED\"]");
		assertThat(report.path("lines").path(0).path("chargeCategory").asString()).isEqualTo("UTILITY");
		assertThat(report.path("lines").path(0).path("metaCategory").asString()).isEqualTo("MARKETING");
		assertThat(report.toString()).doesNotContain(agreed.wamid()).doesNotContain(unpriced.wamid());
		assertThat(this.database.sql("SELECT count(*) AS n FROM meta_pricing WHERE tenant_id = :tenant")
			.bind("tenant", tenant)
			.map((row) -> row.get("n", Long.class))
			.one()
			.block()).isEqualTo(3 + 1);
	}

	@Test
	void whenAnAgentAsksForTheReconciliationThenForbidden() {
		Api.as(this.http, "reconcile-" + UUID.randomUUID(), "AGENT")
			.get()
			.uri("/api/v1/billing/reconciliation?month=2026-10")
			.exchange()
			.expectStatus()
			.isForbidden();
		Api.as(this.http, "reconcile-" + UUID.randomUUID(), "FINANCE")
			.get()
			.uri("/api/v1/billing/reconciliation?month=October")
			.exchange()
			.expectStatus()
			.isBadRequest();
	}

	private JsonNode report(String tenant, String month) {
		return this.json.readTree(Api.as(this.http, tenant, "FINANCE")
			.get()
			.uri("/api/v1/billing/reconciliation?month={month}", month)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody());
	}

}

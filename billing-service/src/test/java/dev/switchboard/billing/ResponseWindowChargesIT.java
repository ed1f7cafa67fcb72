package dev.switchboard.billing;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.switchboard.events.MessageSent;
import dev.switchboard.testsupport.IntegrationTest;
import dev.switchboard.testsupport.RealInfrastructure;
import dev.switchboard.testsupport.TestEvents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@IntegrationTest
@AutoConfigureWebTestClient
class ResponseWindowChargesIT {

	/** The seeded rate card (meta-2025-07, EUR) for Italy (+39) and Germany (+49). */
	private static final BigDecimal UTILITY_IT = new BigDecimal("0.026400");

	private static final BigDecimal MARKETING_DE = new BigDecimal("0.113100");

	private static final BigDecimal MARKETING_DEFAULT = new BigDecimal("0.057200");

	private static final BigDecimal FREE = new BigDecimal("0.000000");

	private static TestEvents events;

	@Autowired
	private DatabaseClient database;

	@Autowired
	private WebTestClient http;

	@BeforeAll
	static void connect() {
		events = new TestEvents(RealInfrastructure.get().kafkaBootstrapServers());
	}

	@AfterAll
	static void disconnect() {
		events.close();
	}

	@Test
	void whenFreeFormReplyInsideTheWindowThenItIsFree() {
		Conversation conversation = conversation("393331234567");
		Instant now = now();
		conversation.customerWrites(now.minus(2, ChronoUnit.HOURS));
		MessageSent reply = conversation.delivered(conversation.reply("agent-1", now.minus(1, ChronoUnit.HOURS)));

		assertThat(awaitCharge(reply.wamid())).isEqualTo(new Charge("SERVICE", true, false, false, "", FREE));
	}

	@Test
	void whenUtilityTemplateInsideTheWindowThenFreeAndAfter24HoursThenChargedAtTheRateCardPrice() {
		Conversation conversation = conversation("393339876543");
		Instant customer = now().minus(30, ChronoUnit.HOURS);
		conversation.customerWrites(customer);
		MessageSent inside = conversation
			.delivered(conversation.template("agent-1", "UTILITY", customer.plus(23, ChronoUnit.HOURS)));
		assertThat(awaitCharge(inside.wamid())).isEqualTo(new Charge("UTILITY", true, false, false, "", FREE));

		MessageSent after = conversation
			.delivered(conversation.template("agent-1", "UTILITY", customer.plus(25, ChronoUnit.HOURS)));
		assertThat(awaitCharge(after.wamid())).isEqualTo(new Charge("UTILITY", false, true, false, "39", UTILITY_IT));
	}

	@Test
	void whenMarketingTemplateThenChargedInsideAndOutsideTheWindowAtTheRateCardPrice() {
		Conversation conversation = conversation("4915112345678");
		Instant customer = now().minus(48, ChronoUnit.HOURS);
		conversation.customerWrites(customer);
		MessageSent inside = conversation
			.delivered(conversation.template("agent-1", "MARKETING", customer.plus(1, ChronoUnit.HOURS)));
		MessageSent outside = conversation
			.delivered(conversation.template("agent-1", "MARKETING", customer.plus(30, ChronoUnit.HOURS)));

		assertThat(awaitCharge(inside.wamid()))
			.isEqualTo(new Charge("MARKETING", true, true, false, "49", MARKETING_DE));
		assertThat(awaitCharge(outside.wamid()))
			.isEqualTo(new Charge("MARKETING", false, true, false, "49", MARKETING_DE));
	}

	@Test
	void whenEventsArriveTwiceOrWithNewIdsThenTheMessageIsChargedOnce() {
		Conversation conversation = conversation("15550001111");
		Instant now = now();
		MessageSent sent = conversation.template("agent-1", "MARKETING", now.minus(1, ChronoUnit.HOURS));
		String delivered = conversation.status(sent, "DELIVERED", sent.sentAt().plusSeconds(2));
		events.publish(new dev.switchboard.events.MessageStatusChanged(conversation.tenant, conversation.id,
				sent.messageId(), sent.wamid(), "DELIVERED", sent.sentAt().plusSeconds(2), null), delivered);
		events.publish(sent);
		conversation.status(sent, "DELIVERED", sent.sentAt().plusSeconds(2));
		conversation.status(sent, "READ", sent.sentAt().plusSeconds(9));
		String marker = conversation.customerWrites(now);

		awaitLedger(conversation.tenant, marker);
		assertThat(charges(conversation.tenant)).containsExactly(
				Map.entry(sent.wamid(), new Charge("MARKETING", false, true, false, "", MARKETING_DEFAULT)));
		assertThat(ledgerSize(conversation.tenant)).as("the redelivered ce_id is not in the ledger twice").isEqualTo(6);
	}

	@Test
	void whenSendFailsThenNothingIsChargedAndAReadWithoutDeliveryIsCharged() {
		Conversation conversation = conversation("15550002222");
		Instant now = now();
		MessageSent failed = conversation.template("agent-1", "MARKETING", now.minus(2, ChronoUnit.HOURS));
		conversation.status(failed, "SENT", failed.sentAt().plusSeconds(1));
		conversation.status(failed, "FAILED", failed.sentAt().plusSeconds(3));
		MessageSent read = conversation.template("agent-1", "MARKETING", now.minus(1, ChronoUnit.HOURS));
		conversation.status(read, "READ", read.sentAt().plusSeconds(30));
		String marker = conversation.customerWrites(now);

		awaitLedger(conversation.tenant, marker);
		assertThat(charges(conversation.tenant)).containsOnlyKeys(read.wamid());
	}

	@Test
	void whenAReplyComesAfterTheWindowThenTheLateReplyCostIsReportedPerTeamAndAgent() {
		String tenant = "tenant-" + UUID.randomUUID();
		Instant now = now();
		Conversation late = new Conversation(events, tenant, "393330000001");
		late.assigned("agent-anna", "team-support", now.minus(40, ChronoUnit.HOURS));
		Instant customer = now.minus(30, ChronoUnit.HOURS);
		late.customerWrites(customer);
		MessageSent lateReply = late.delivered(late.template("agent-anna", "UTILITY", now.minus(1, ChronoUnit.HOURS)));
		Conversation onTime = new Conversation(events, tenant, "393330000002");
		onTime.assigned("agent-anna", "team-support", now.minus(3, ChronoUnit.HOURS));
		onTime.customerWrites(now.minus(2, ChronoUnit.HOURS));
		MessageSent inTime = onTime.delivered(onTime.reply("agent-anna", now.minus(1, ChronoUnit.HOURS)));
		awaitCharge(inTime.wamid());
		assertThat(awaitCharge(lateReply.wamid()).lateReply()).isTrue();

		YearMonth month = YearMonth.from(lateReply.sentAt().plusSeconds(2).atOffset(ZoneOffset.UTC));
		// The team comes from routing's assignment event, on another topic than the
		// messages: the report has it once billing has read that event too.
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> Api.as(this.http, tenant, "FINANCE")
				.get()
				.uri("/api/v1/billing/late-replies?month=" + month)
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.items.length()")
				.isEqualTo(1)
				.jsonPath("$.items[0].teamId")
				.isEqualTo("team-support")
				.jsonPath("$.items[0].agentId")
				.isEqualTo("agent-anna")
				.jsonPath("$.items[0].conversations")
				.isEqualTo(1)
				.jsonPath("$.items[0].lateReplies")
				.isEqualTo(1)
				.jsonPath("$.items[0].cost")
				.isEqualTo(0.0264)
				.jsonPath("$.nextCursor")
				.doesNotExist());
		Api.as(this.http, tenant, "AGENT")
			.get()
			.uri("/api/v1/billing/late-replies?month=" + month)
			.exchange()
			.expectStatus()
			.isForbidden();
	}

	@Test
	void whenTheTenantAddsARateCardThenMessagesDeliveredFromItsStartUseItsPrices() {
		Conversation conversation = conversation("15550003333");
		Instant start = now().plus(2, ChronoUnit.HOURS);
		Api.as(this.http, "platform", "OPERATOR")
			.post()
			.uri("/api/v1/billing/rate-cards")
			.bodyValue(Map.of("name", "meta-next", "currency", "EUR", "effectiveFrom", start.toString(), "tenantId",
					conversation.tenant, "prices",
					List.of(Map.of("category", "MARKETING", "price", "0.0800"),
							Map.of("category", "UTILITY", "price", "0.0300"),
							Map.of("category", "AUTHENTICATION", "price", "0.0400"),
							Map.of("category", "MARKETING", "countryCode", "1", "price", "0.0250"))))
			.exchange()
			.expectStatus()
			.isCreated();
		MessageSent before = conversation
			.delivered(conversation.template("agent-1", "MARKETING", start.minus(1, ChronoUnit.HOURS)));
		MessageSent after = conversation
			.delivered(conversation.template("agent-1", "MARKETING", start.plus(1, ChronoUnit.HOURS)));

		assertThat(awaitCharge(before.wamid()).unitPrice()).isEqualTo(MARKETING_DEFAULT);
		assertThat(awaitCharge(after.wamid()))
			.isEqualTo(new Charge("MARKETING", false, true, false, "1", new BigDecimal("0.025000")));
	}

	@Test
	void whenARateCardIsInvalidThenItIsRefusedAndCounted() {
		String tenant = "tenant-" + UUID.randomUUID();
		Api.as(this.http, tenant, "OWNER")
			.post()
			.uri("/api/v1/billing/rate-cards")
			.bodyValue(Map.of("name", "own-prices", "currency", "EUR", "effectiveFrom", "2999-01-01T00:00:00Z",
					"prices", List.of(Map.of("category", "MARKETING", "price", "0"))))
			.exchange()
			.expectStatus()
			.isForbidden();
		Api.as(this.http, "platform", "OPERATOR")
			.post()
			.uri("/api/v1/billing/rate-cards")
			.bodyValue(Map.of("name", "in-the-past", "currency", "EUR", "effectiveFrom", "2020-01-01T00:00:00Z",
					"tenantId", tenant, "prices", List.of(Map.of("category", "MARKETING", "price", "0.1"))))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentTypeCompatibleWith("application/problem+json");
		Api.as(this.http, tenant, "AGENT")
			.get()
			.uri("/api/v1/billing/rate-cards")
			.exchange()
			.expectStatus()
			.isForbidden();
		Api.as(this.http, tenant, "OWNER")
			.get()
			.uri("/api/v1/billing/rate-cards")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.items[?(@.name == 'in-the-past')]")
			.doesNotExist()
			.jsonPath("$.items[?(@.name == 'meta-2025-07')]")
			.exists();
	}

	private Conversation conversation(String waId) {
		return new Conversation(events, "tenant-" + UUID.randomUUID(), waId);
	}

	private static Instant now() {
		return Instant.now().truncatedTo(ChronoUnit.SECONDS);
	}

	private Charge awaitCharge(String wamid) {
		return await().atMost(Duration.ofSeconds(30))
			.until(() -> this.database.sql("SELECT * FROM charge WHERE wamid = :wamid")
				.bind("wamid", wamid)
				.map((row) -> charge(row))
				.one()
				.blockOptional(), java.util.Optional::isPresent)
			.orElseThrow();
	}

	private Map<String, Charge> charges(String tenant) {
		return this.database.sql("SELECT * FROM charge WHERE tenant_id = :tenant")
			.bind("tenant", tenant)
			.map((row) -> Map.entry(row.get("wamid", String.class), charge(row)))
			.all()
			.collectMap(Map.Entry::getKey, Map.Entry::getValue)
			.block();
	}

	private void awaitLedger(String tenant, String customerWamid) {
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.database
				.sql("SELECT 1 FROM customer_message WHERE wamid = :wamid AND tenant_id = :tenant")
				.bind("wamid", customerWamid)
				.bind("tenant", tenant)
				.map((row) -> true)
				.one()
				.blockOptional()
				.isPresent());
	}

	private long ledgerSize(String tenant) {
		return this.database.sql("SELECT count(*) AS n FROM billing_event WHERE tenant_id = :tenant")
			.bind("tenant", tenant)
			.map((row) -> row.get("n", Long.class))
			.one()
			.block();
	}

	private static Charge charge(io.r2dbc.spi.Readable row) {
		return new Charge(row.get("category", String.class), row.get("in_window", Boolean.class),
				row.get("charged", Boolean.class), row.get("late_reply", Boolean.class),
				row.get("country_code", String.class), row.get("unit_price", BigDecimal.class));
	}

	record Charge(String category, boolean inWindow, boolean charged, boolean lateReply, String countryCode,
			BigDecimal unitPrice) {

	}

}

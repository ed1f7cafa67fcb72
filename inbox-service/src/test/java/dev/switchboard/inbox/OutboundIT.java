package dev.switchboard.inbox;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.switchboard.events.MessageSent;
import dev.switchboard.events.MessageStatusChanged;
import dev.switchboard.events.WhatsAppMessageReceived;
import dev.switchboard.events.WhatsAppError;
import dev.switchboard.events.WhatsAppPricing;
import dev.switchboard.events.WhatsAppStatusReceived;
import dev.switchboard.events.WhatsAppTemplateUpdated;
import dev.switchboard.sandbox.WhatsAppSandbox;
import dev.switchboard.testsupport.RealInfrastructure;
import dev.switchboard.testsupport.TestEvents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@InboxIntegrationTest
class OutboundIT {

	private static final WhatsAppSandbox SANDBOX = InboxIntegrationTest.Sandbox.SANDBOX;

	private static TestEvents events;

	private final JsonMapper json = JsonMapper.builder().build();

	@Autowired
	private WebTestClient http;

	@Autowired
	private DatabaseClient database;

	@Autowired
	private MeterRegistry meters;

	private Inbox inbox;

	@BeforeAll
	static void connect() {
		events = new TestEvents(RealInfrastructure.get().kafkaBootstrapServers());
	}

	@AfterAll
	static void disconnect() {
		events.close();
	}

	@Test
	void whenAnAgentRepliesInsideTheWindowThenMetaReceivesItsJsonAndTheSendIsAnnouncedWithAgentAndDevice() {
		Setup setup = setup(true);
		String id = send(setup, Map.of("type", "text", "text", "Your order ships today")).path("id").asString();

		String wamid = awaitStatus(id, "ACCEPTED").path("wamid").asString();
		WhatsAppSandbox.Sent sent = SANDBOX.sent()
			.stream()
			.filter((s) -> wamid.equals(s.wamid()))
			.findFirst()
			.orElseThrow();
		JsonNode payload = this.json.readTree(sent.payload());
		assertThat(sent.phoneNumberId()).isEqualTo(Inbox.PHONE_NUMBER_ID);
		assertThat(payload.path("messaging_product").asString()).isEqualTo("whatsapp");
		assertThat(payload.path("to").asString()).isEqualTo(setup.waId());
		assertThat(payload.path("type").asString()).isEqualTo("text");
		assertThat(payload.path("text").path("body").asString()).isEqualTo("Your order ships today");

		MessageSent announced = await().atMost(Duration.ofSeconds(20))
			.until(() -> events.of(MessageSent.class)
				.stream()
				.map((r) -> (MessageSent) r.event())
				.filter((e) -> e.messageId().equals(id))
				.toList(), (list) -> list.size() == 1)
			.getFirst();
		assertThat(announced.agentId()).isEqualTo("mario");
		assertThat(announced.deviceId()).isEqualTo(setup.deviceId());
		assertThat(announced.wamid()).isEqualTo(wamid);
		assertThat(announced.kind()).isEqualTo("text");
	}

	@Test
	void whenStatusesArriveOutOfOrderAndTwiceThenTheStatusOnlyMovesForwardAndEachIsAnnouncedOnce() {
		Setup setup = setup(true);
		String id = send(setup, Map.of("type", "text", "text", "Hello")).path("id").asString();
		String wamid = awaitStatus(id, "ACCEPTED").path("wamid").asString();
		Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		long deliveries = latencyCount("delivery");
		long reads = latencyCount("read");

		status(setup, wamid, "read", base.plusSeconds(3));
		status(setup, wamid, "delivered", base.plusSeconds(2));
		status(setup, wamid, "read", base.plusSeconds(3));
		status(setup, wamid, "sent", base.plusSeconds(1));
		status(setup, wamid, "delivered", base.plusSeconds(2));

		JsonNode message = await().atMost(Duration.ofSeconds(20))
			.until(() -> message(setup, id), (m) -> m.hasNonNull("deliveredAt") && m.hasNonNull("sentAt"));
		assertThat(message.path("status").asString()).isEqualTo("READ");
		assertThat(message.path("readAt").asString()).isEqualTo(base.plusSeconds(3).toString());
		assertThat(message.path("deliveredAt").asString()).isEqualTo(base.plusSeconds(2).toString());
		assertThat(message.path("sentAt").asString()).isEqualTo(base.plusSeconds(1).toString());
		await().during(Duration.ofSeconds(1))
			.atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(statusEvents(id)).extracting(MessageStatusChanged::status)
				.containsExactlyInAnyOrder("READ", "DELIVERED", "SENT"));
		assertThat(latencyCount("delivery")).isGreaterThan(deliveries);
		assertThat(latencyCount("read")).isGreaterThan(reads);
	}

	private long latencyCount(String tick) {
		Timer timer = this.meters.find("switchboard.inbox.message." + tick + ".latency").timer();
		return (timer != null) ? timer.count() : 0;
	}

	@Test
	void whenTheCustomerIsBlockedOrOptedOutThenNothingIsStoredOrSent() {
		Setup setup = setup(true);
		this.inbox.as(setup.tenant(), "mario", "AGENT")
			.put()
			.uri("/api/v1/contacts/{id}/opt-in", setup.contactId())
			.bodyValue(Map.of("state", "OPTED_OUT", "source", "STOP_KEYWORD"))
			.exchange()
			.expectStatus()
			.isOk();
		refused(setup, Map.of("type", "text", "text", "Hi"), 409, "not-opted-in");

		this.inbox.as(setup.tenant(), "mario", "AGENT")
			.put()
			.uri("/api/v1/contacts/{id}/blocked", setup.contactId())
			.bodyValue(Map.of("blocked", true))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.blocked")
			.isEqualTo(true);
		refused(setup, Map.of("type", "text", "text", "Hi"), 409, "contact-blocked");
		assertThat(outboundCount(setup)).isZero();
	}

	@Test
	void whenTheWindowIsClosedThenOnlyAnApprovedTemplateGoesOutAndItsCategoryIsAnnounced() {
		Setup setup = setup(false);
		refused(setup, Map.of("type", "text", "text", "Sorry for the wait"), 409, "window-closed");
		refused(setup, Map.of("type", "media", "media", Map.of("kind", "image", "id", "1234")), 409, "window-closed");
		Map<String, Object> template = Map
			.of("type", "template", "template", Map.of("name", "order_update", "language", "en_US", "components",
					List.of(Map.of("type", "body", "parameters", List.of(Map.of("type", "text", "text", "A-42"))))));
		refused(setup, template, 422, "template-not-approved");
		assertThat(outboundCount(setup)).isZero();

		this.inbox.as(setup.tenant(), "boss", "ADMIN")
			.put()
			.uri("/api/v1/templates")
			.bodyValue(Map.of("name", "order_update", "language", "en_US", "category", "UTILITY", "status", "APPROVED"))
			.exchange()
			.expectStatus()
			.isOk();
		String id = send(setup, template).path("id").asString();
		String wamid = awaitStatus(id, "ACCEPTED").path("wamid").asString();
		JsonNode payload = this.json.readTree(
				SANDBOX.sent().stream().filter((s) -> wamid.equals(s.wamid())).findFirst().orElseThrow().payload());
		assertThat(payload.path("template").path("name").asString()).isEqualTo("order_update");
		assertThat(payload.path("template").path("language").path("code").asString()).isEqualTo("en_US");
		assertThat(
				payload.path("template").path("components").path(0).path("parameters").path(0).path("text").asString())
			.isEqualTo("A-42");
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(events.of(MessageSent.class)).extracting((r) -> (MessageSent) r.event())
				.filteredOn((e) -> e.messageId().equals(id))
				.singleElement()
				.satisfies((e) -> assertThat(e.templateCategory()).isEqualTo("UTILITY")));
	}

	@Test
	void whenMetaReportsATemplatesReviewAndQualityThenTheRegistryFollowsAndOnlyAnApprovedOneGoesOut() {
		Setup setup = setup(false);
		Map<String, Object> template = Map.of("type", "template", "template",
				Map.of("name", "renewal_notice", "language", "en_US"));
		Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		events.publish(templateUpdate(setup.tenant(), "message_template_status_update", "REJECTED", "MARKETING", null,
				"INCORRECT_CATEGORY", base));
		JsonNode rejected = awaitTemplate(setup.tenant(), "renewal_notice",
				(t) -> "REJECTED".equals(t.path("status").asString()));
		assertThat(rejected.path("reason").asString()).isEqualTo("INCORRECT_CATEGORY");
		assertThat(rejected.path("category").asString()).isEqualTo("MARKETING");
		assertThat(rejected.path("source").asString()).isEqualTo("META");
		refused(setup, template, 422, "template-not-approved");

		events.publish(templateUpdate(setup.tenant(), "message_template_status_update", "APPROVED", "UTILITY", null,
				"NONE", base.plusSeconds(60)));
		// Meta's late delivery of an older report changes nothing.
		events.publish(templateUpdate(setup.tenant(), "message_template_status_update", "PAUSED", null, null,
				"FIRST_PAUSE", base.plusSeconds(30)));
		events.publish(templateUpdate(setup.tenant(), "message_template_quality_update", null, null, "YELLOW", null,
				base.plusSeconds(90)));
		JsonNode approved = awaitTemplate(setup.tenant(), "renewal_notice",
				(t) -> "YELLOW".equals(t.path("quality").asString()));
		assertThat(approved.path("status").asString()).isEqualTo("APPROVED");
		assertThat(approved.path("category").asString()).isEqualTo("UTILITY");

		String id = send(setup, template).path("id").asString();
		awaitStatus(id, "ACCEPTED");
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(events.of(MessageSent.class)).extracting((r) -> (MessageSent) r.event())
				.filteredOn((e) -> e.messageId().equals(id))
				.singleElement()
				.satisfies((e) -> assertThat(e.templateCategory()).isEqualTo("UTILITY")));
	}

	@Test
	void whenMetaReportsAFailedStatusThenTheMessageShowsMetasErrorsAndThePricingTravels() {
		Setup setup = setup(true);
		String id = send(setup, Map.of("type", "text", "text", "Hello")).path("id").asString();
		String wamid = awaitStatus(id, "ACCEPTED").path("wamid").asString();
		Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		WhatsAppPricing pricing = new WhatsAppPricing(false, "service", "PMP", "free_customer_service");
		events.publish(new WhatsAppStatusReceived(setup.tenant(), setup.conversationId(), Inbox.PHONE_NUMBER_ID,
				setup.waId(), wamid, "sent", base, "{}", null, pricing));
		WhatsAppError error = new WhatsAppError(131049,
				"This message was not delivered to maintain healthy ecosystem engagement.",
				"This message was not delivered to maintain healthy ecosystem engagement.",
				"In order to maintain a healthy ecosystem engagement, the message failed to be delivered.");
		events.publish(new WhatsAppStatusReceived(setup.tenant(), setup.conversationId(), Inbox.PHONE_NUMBER_ID,
				setup.waId(), wamid, "failed", base.plusSeconds(1), "{}", List.of(error), null));

		JsonNode failed = awaitStatus(id, "FAILED");
		assertThat(failed.path("error").asString()).isEqualTo("131049 " + error.title());
		assertThat(failed.path("errors").path(0).path("code").asInt()).isEqualTo(131049);
		assertThat(failed.path("errors").path(0).path("details").asString()).isEqualTo(error.details());
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(statusEvents(id)).filteredOn((e) -> e.status().equals("FAILED"))
				.singleElement()
				.satisfies((e) -> assertThat(e.errors()).containsExactly(error));
			assertThat(statusEvents(id)).filteredOn((e) -> e.status().equals("SENT"))
				.singleElement()
				.satisfies((e) -> assertThat(e.pricing()).isEqualTo(pricing));
		});
	}

	private static WhatsAppTemplateUpdated templateUpdate(String tenant, String field, String status, String category,
			String quality, String reason, Instant at) {
		return new WhatsAppTemplateUpdated(tenant, "102290129340398", field, "806312974732579", "renewal_notice",
				"en_US", status, category, quality, reason, at, "{}");
	}

	private JsonNode awaitTemplate(String tenant, String name, java.util.function.Predicate<JsonNode> until) {
		return await().atMost(Duration.ofSeconds(20)).until(() -> {
			JsonNode page = this.json.readTree(this.inbox.as(tenant, "mario", "AGENT")
				.get()
				.uri("/api/v1/templates")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.returnResult()
				.getResponseBody());
			for (JsonNode template : page.path("items")) {
				if (name.equals(template.path("name").asString())) {
					return template;
				}
			}
			return this.json.createObjectNode();
		}, until);
	}

	@Test
	void whenTheDeviceIsMissingUnknownAnotherAgentsOrRevokedThenTheSendIsRefused() {
		Setup setup = setup(true);
		this.inbox.as(setup.tenant(), "mario", "AGENT")
			.post()
			.uri("/api/v1/conversations/{id}/messages", setup.conversationId())
			.bodyValue(Map.of("type", "text", "text", "Hi"))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.reason")
			.isEqualTo("device-required");
		refused(setup.withDevice("no-such-device"), Map.of("type", "text", "text", "Hi"), 403, "device-unknown");
		this.inbox.device(setup.tenant(), "luigi-phone", "luigi", "ACTIVE", 1);
		awaitDevice(setup.tenant(), "luigi-phone", "ACTIVE");
		refused(setup.withDevice("luigi-phone"), Map.of("type", "text", "text", "Hi"), 403, "device-not-yours");

		this.inbox.device(setup.tenant(), setup.deviceId(), "mario", "REVOKED", 2);
		this.inbox.device(setup.tenant(), setup.deviceId(), "mario", "ACTIVE", 1);
		awaitDevice(setup.tenant(), setup.deviceId(), "REVOKED");
		refused(setup, Map.of("type", "text", "text", "Hi"), 403, "device-revoked");
		assertThat(outboundCount(setup)).isZero();
	}

	@Test
	void whenAReplyStartsWithAShortcutThenTheQuickReplyIsSent() {
		Setup setup = setup(true);
		this.inbox.as(setup.tenant(), "boss", "ADMIN")
			.post()
			.uri("/api/v1/quick-replies")
			.bodyValue(Map.of("shortcut", "thanks", "text", "Thank you for your order!"))
			.exchange()
			.expectStatus()
			.isCreated();
		JsonNode queued = send(setup, Map.of("type", "text", "text", "/thanks See you soon."));
		assertThat(queued.path("body").asString()).isEqualTo("Thank you for your order! See you soon.");
		String wamid = awaitStatus(queued.path("id").asString(), "ACCEPTED").path("wamid").asString();
		assertThat(this.json
			.readTree(
					SANDBOX.sent().stream().filter((s) -> wamid.equals(s.wamid())).findFirst().orElseThrow().payload())
			.path("text")
			.path("body")
			.asString()).isEqualTo("Thank you for your order! See you soon.");
		refused(setup, Map.of("type", "text", "text", "/nope"), 422, "unknown-quick-reply");
	}

	@Test
	void whenTheCloudApiFailsForAWhileThenTheSendIsRetriedAndGoesOut() {
		Setup setup = setup(true);
		SANDBOX.failNext(500, 1);
		SANDBOX.failNext(429, 1);
		String id = send(setup, Map.of("type", "text", "text", "Retry me")).path("id").asString();
		awaitStatus(id, "ACCEPTED");
		Integer attempts = this.database.sql("SELECT attempts FROM message WHERE id = :id")
			.bind("id", UUID.fromString(id))
			.map((row) -> row.get("attempts", Integer.class))
			.one()
			.block();
		assertThat(attempts).isEqualTo(3);
	}

	@Test
	void whenTheCloudApiKeepsFailingThenTheMessageFailsWithTheReason() {
		Setup setup = setup(true);
		SANDBOX.failNext(500, 3);
		String id = send(setup, Map.of("type", "text", "text", "Doomed")).path("id").asString();
		JsonNode failed = awaitStatus(id, "FAILED");
		assertThat(failed.path("error").asString()).contains("Gave up after 3 attempts").contains("HTTP 500");
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(statusEvents(id)).extracting(MessageStatusChanged::status)
				.containsExactly("FAILED"));
	}

	private Setup setup(boolean windowOpen) {
		this.inbox = new Inbox(() -> this.http, events);
		String tenant = "tenant-" + UUID.randomUUID();
		String waId = "39333" + (1_000_000 + (int) (Math.random() * 8_000_000));
		Instant sentAt = Instant.now().minus(windowOpen ? Duration.ofMinutes(5) : Duration.ofHours(30));
		WhatsAppMessageReceived received = this.inbox.customerWrites(tenant, waId, "text", "{\"body\":\"Hi\"}", sentAt);
		String deviceId = "device-" + UUID.randomUUID();
		this.inbox.device(tenant, deviceId, "mario", "ACTIVE", 1);
		if (windowOpen) {
			this.inbox.windowOpen(tenant, received.conversationId(), received.timestamp());
		}
		String contactId = await().atMost(Duration.ofSeconds(20))
			.until(() -> this.database.sql("""
					SELECT k.id FROM conversation c JOIN contact k ON k.id = c.contact_id
					LEFT JOIN routing_view r ON r.conversation_id = c.id
					WHERE c.id = :id AND (r.window_expires_at IS NOT NULL OR NOT :open)""")
				.bind("id", UUID.fromString(received.conversationId()))
				.bind("open", windowOpen)
				.map((row) -> String.valueOf(row.get("id", UUID.class)))
				.one()
				.blockOptional(), java.util.Optional::isPresent)
			.orElseThrow();
		awaitDevice(tenant, deviceId, "ACTIVE");
		return new Setup(tenant, received.conversationId(), contactId, waId, deviceId);
	}

	private void awaitDevice(String tenant, String deviceId, String state) {
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.database.sql("SELECT state FROM device WHERE tenant_id = :tenant AND device_id = :id")
				.bind("tenant", tenant)
				.bind("id", deviceId)
				.map((row) -> row.get("state", String.class))
				.one()
				.blockOptional()
				.filter(state::equals)
				.isPresent());
	}

	private JsonNode send(Setup setup, Map<String, Object> body) {
		byte[] response = this.inbox.as(setup.tenant(), "mario", "AGENT")
			.post()
			.uri("/api/v1/conversations/{id}/messages", setup.conversationId())
			.header("X-Device-Id", setup.deviceId())
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectBody()
			.returnResult()
			.getResponseBody();
		return this.json.readTree(response);
	}

	private void refused(Setup setup, Map<String, Object> body, int status, String reason) {
		this.inbox.as(setup.tenant(), "mario", "AGENT")
			.post()
			.uri("/api/v1/conversations/{id}/messages", setup.conversationId())
			.header("X-Device-Id", setup.deviceId())
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isEqualTo(status)
			.expectHeader()
			.contentType("application/problem+json")
			.expectBody()
			.jsonPath("$.reason")
			.isEqualTo(reason);
	}

	private JsonNode message(Setup setup, String id) {
		return this.json.readTree(this.inbox.as(setup.tenant(), "mario", "AGENT")
			.get()
			.uri("/api/v1/messages/{id}", id)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody());
	}

	private JsonNode awaitStatus(String id, String status) {
		return await().atMost(Duration.ofSeconds(20)).until(() -> {
			Setup any = new Setup(tenantOf(id), "", "", "", "");
			return message(any, id);
		}, (m) -> status.equals(m.path("status").asString()));
	}

	private String tenantOf(String messageId) {
		return this.database.sql("SELECT tenant_id FROM message WHERE id = :id")
			.bind("id", UUID.fromString(messageId))
			.map((row) -> row.get("tenant_id", String.class))
			.one()
			.block();
	}

	private long outboundCount(Setup setup) {
		Long count = this.database
			.sql("SELECT count(*) FROM message WHERE conversation_id = :id AND direction = 'OUTBOUND'")
			.bind("id", UUID.fromString(setup.conversationId()))
			.map((row) -> row.get(0, Long.class))
			.one()
			.block();
		return (count != null) ? count : 0;
	}

	private void status(Setup setup, String wamid, String status, Instant at) {
		events.publish(new WhatsAppStatusReceived(setup.tenant(), setup.conversationId(), Inbox.PHONE_NUMBER_ID,
				setup.waId(), wamid, status, at, """
						{"id":"%s","status":"%s","timestamp":"%d","recipient_id":"%s"}""".formatted(wamid, status,
						at.getEpochSecond(), setup.waId())));
	}

	private List<MessageStatusChanged> statusEvents(String messageId) {
		return events.of(MessageStatusChanged.class)
			.stream()
			.map((r) -> (MessageStatusChanged) r.event())
			.filter((e) -> e.messageId().equals(messageId))
			.toList();
	}

	private record Setup(String tenant, String conversationId, String contactId, String waId, String deviceId) {

		Setup withDevice(String other) {
			return new Setup(this.tenant, this.conversationId, this.contactId, this.waId, other);
		}

	}

}

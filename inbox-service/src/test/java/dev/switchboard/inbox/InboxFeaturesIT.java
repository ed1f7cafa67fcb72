package dev.switchboard.inbox;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.switchboard.events.ConversationAssigned;
import dev.switchboard.events.ConversationStatusChanged;
import dev.switchboard.events.WhatsAppMessageReceived;
import dev.switchboard.testsupport.RealInfrastructure;
import dev.switchboard.testsupport.TestEvents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@InboxIntegrationTest
class InboxFeaturesIT {

	private static TestEvents events;

	private final JsonMapper json = JsonMapper.builder().build();

	@Autowired
	private WebTestClient http;

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
	void whenConversationsAreLabelledAssignedReadAndSearchedThenTheFiltersFindThem() {
		String tenant = "tenant-" + UUID.randomUUID();
		Inbox inbox = new Inbox(() -> this.http, events);
		WhatsAppMessageReceived order = inbox.customerWritesText(tenant, "393331110001", "I want to order a pizza");
		WhatsAppMessageReceived payment = inbox.customerWritesText(tenant, "393331110002", "Payment failed twice");
		WhatsAppMessageReceived other = inbox.customerWritesText(tenant, "393331110003", "Hello there");
		await().atMost(Duration.ofSeconds(20)).until(() -> ids(inbox, tenant, "").size() == 3);

		String label = inbox.as(tenant, "boss", "ADMIN")
			.post()
			.uri("/api/v1/labels")
			.bodyValue(Map.of("name", "payment pending", "color", "#e53935"))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody()
			.path("id")
			.asString();
		inbox.as(tenant, "boss", "AGENT")
			.post()
			.uri("/api/v1/labels")
			.bodyValue(Map.of("name", "new order", "color", "#43a047"))
			.exchange()
			.expectStatus()
			.isForbidden();
		inbox.as(tenant, "mario", "AGENT")
			.put()
			.uri("/api/v1/conversations/{id}/labels/{label}", payment.conversationId(), label)
			.exchange()
			.expectStatus()
			.isNoContent();
		inbox.as("another-" + tenant, "mario", "AGENT")
			.put()
			.uri("/api/v1/conversations/{id}/labels/{label}", order.conversationId(), label)
			.exchange()
			.expectStatus()
			.isNotFound();
		events.publish(new ConversationAssigned(tenant, order.conversationId(), "mario", "support", "AUTO", null,
				Instant.now()));
		inbox.as(tenant, "mario", "AGENT")
			.put()
			.uri("/api/v1/conversations/{id}/status", other.conversationId())
			.bodyValue(Map.of("status", "RESOLVED"))
			.exchange()
			.expectStatus()
			.isOk();

		assertThat(ids(inbox, tenant, "?label=payment pending")).containsExactly(payment.conversationId());
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(
					() -> assertThat(ids(inbox, tenant, "?assignee=me")).containsExactly(order.conversationId()));
		assertThat(ids(inbox, tenant, "?q=pizza")).containsExactly(order.conversationId());
		assertThat(ids(inbox, tenant, "?status=RESOLVED")).containsExactly(other.conversationId());
		assertThat(ids(inbox, tenant, "?status=OPEN&unread=true")).containsExactlyInAnyOrder(order.conversationId(),
				payment.conversationId());
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(events.of(ConversationStatusChanged.class))
				.extracting((r) -> (ConversationStatusChanged) r.event())
				.filteredOn((e) -> e.conversationId().equals(other.conversationId()))
				.singleElement()
				.satisfies((e) -> assertThat(e.status()).isEqualTo("RESOLVED")));
		assertThat(ids(inbox, tenant, "?assignee=none")).containsExactlyInAnyOrder(payment.conversationId(),
				other.conversationId());
		// The console's tab counts: waiting for an answer, not resolved.
		inbox.as(tenant, "mario", "AGENT")
			.get()
			.uri("/api/v1/conversations/unread-counts")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.mine")
			.isEqualTo(1)
			.jsonPath("$.unassigned")
			.isEqualTo(1)
			.jsonPath("$.all")
			.isEqualTo(2);
		inbox.as(tenant, "mario", "AGENT")
			.get()
			.uri("/api/v1/conversations/{id}", payment.conversationId())
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.id")
			.isEqualTo(payment.conversationId())
			.jsonPath("$.labels[0]")
			.isEqualTo("payment pending");
		inbox.as("another-" + tenant, "mario", "AGENT")
			.get()
			.uri("/api/v1/conversations/{id}", payment.conversationId())
			.exchange()
			.expectStatus()
			.isNotFound();
		inbox.as(tenant, "mario", "AGENT")
			.get()
			.uri("/api/v1/conversations?status=CLOSED")
			.exchange()
			.expectStatus()
			.isBadRequest();
		inbox.as(tenant, "mario", "AGENT")
			.delete()
			.uri("/api/v1/conversations/{id}", order.conversationId())
			.exchange()
			.expectStatus()
			.value((status) -> assertThat(status).isIn(404, 405));
	}

	@Test
	void whenTheProfileIsEditedThenEveryMemberReadsItAndOnlyOwnersAndAdminsChangeIt() {
		String tenant = "tenant-" + UUID.randomUUID();
		Inbox inbox = new Inbox(() -> this.http, events);
		Map<String, Object> profile = Map.of("about", "Pizza since 1962", "email", "ciao@pizzeria.example", "website",
				"https://pizzeria.example", "address", "Via Roma 1, Milano", "openingHours",
				List.of(Map.of("day", "MONDAY", "opens", "11:30", "closes", "23:00")), "verificationLevel",
				"CONFIRMED");
		inbox.as(tenant, "mario", "AGENT")
			.put()
			.uri("/api/v1/business-profile")
			.bodyValue(profile)
			.exchange()
			.expectStatus()
			.isForbidden();
		inbox.as(tenant, "owner", "OWNER")
			.put()
			.uri("/api/v1/business-profile")
			.bodyValue(Map.of("email", "not-an-email", "openingHours", List.of(), "verificationLevel", "VERIFIED"))
			.exchange()
			.expectStatus()
			.isBadRequest();
		inbox.as(tenant, "owner", "OWNER")
			.put()
			.uri("/api/v1/business-profile")
			.bodyValue(profile)
			.exchange()
			.expectStatus()
			.isOk();
		inbox.as(tenant, "mario", "AGENT")
			.get()
			.uri("/api/v1/business-profile")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.verificationLevel")
			.isEqualTo("CONFIRMED")
			.jsonPath("$.openingHours[0].opens")
			.isEqualTo("11:30")
			.jsonPath("$.website")
			.isEqualTo("https://pizzeria.example");
	}

	@Test
	void whenLabelsQuickRepliesAndTemplatesArePagedThenEachComesOnceInOrderAndBadPagesAreRefused() {
		String tenant = "tenant-" + UUID.randomUUID();
		Inbox inbox = new Inbox(() -> this.http, events);
		for (String name : List.of("gamma", "alpha", "delta", "beta", "epsilon")) {
			inbox.as(tenant, "boss", "ADMIN")
				.post()
				.uri("/api/v1/labels")
				.bodyValue(Map.of("name", name, "color", "#1e88e5"))
				.exchange()
				.expectStatus()
				.isCreated();
			inbox.as(tenant, "boss", "ADMIN")
				.post()
				.uri("/api/v1/quick-replies")
				.bodyValue(Map.of("shortcut", name, "text", "Text " + name))
				.exchange()
				.expectStatus()
				.isCreated();
		}
		for (String template : List.of("welcome:it", "welcome:en_US", "order_update:en_US")) {
			String[] parts = template.split(":");
			inbox.as(tenant, "boss", "ADMIN")
				.put()
				.uri("/api/v1/templates")
				.bodyValue(Map.of("name", parts[0], "language", parts[1], "category", "UTILITY", "status", "APPROVED"))
				.exchange()
				.expectStatus()
				.isOk();
		}

		assertThat(all(inbox, tenant, "/api/v1/labels")).extracting((label) -> label.path("name").asString())
			.containsExactly("alpha", "beta", "delta", "epsilon", "gamma");
		assertThat(all(inbox, tenant, "/api/v1/quick-replies")).extracting((reply) -> reply.path("shortcut").asString())
			.containsExactly("alpha", "beta", "delta", "epsilon", "gamma");
		assertThat(all(inbox, tenant, "/api/v1/templates"))
			.extracting((template) -> template.path("name").asString() + ":" + template.path("language").asString())
			.containsExactly("order_update:en_US", "welcome:en_US", "welcome:it");
		String other = "another-" + tenant;
		for (String path : List.of("/api/v1/labels", "/api/v1/quick-replies", "/api/v1/templates")) {
			assertThat(all(inbox, other, path)).as("another tenant's " + path).isEmpty();
			for (String query : List.of("?limit=0", "?limit=201", "?cursor=not-a-cursor", "?cursor=YWJj")) {
				inbox.as(tenant, "mario", "AGENT")
					.get()
					.uri(path + query)
					.exchange()
					.expectStatus()
					.isBadRequest()
					.expectHeader()
					.contentTypeCompatibleWith("application/problem+json");
			}
		}
	}

	private List<JsonNode> all(Inbox inbox, String tenant, String path) {
		List<JsonNode> items = new java.util.ArrayList<>();
		String cursor = null;
		do {
			String next = cursor;
			JsonNode page = inbox.as(tenant, "mario", "AGENT").get().uri((uri) -> {
				uri.path(path).queryParam("limit", 2);
				if (next != null) {
					uri.queryParam("cursor", next);
				}
				return uri.build();
			}).exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
			assertThat(page).isNotNull();
			assertThat(page.path("items").size()).isLessThanOrEqualTo(2);
			page.path("items").forEach(items::add);
			cursor = page.path("nextCursor").isString() ? page.path("nextCursor").asString() : null;
		}
		while (cursor != null);
		return items;
	}

	@Test
	void whenQuickRepliesAreManagedThenShortcutsAreUniqueAndValidated() {
		String tenant = "tenant-" + UUID.randomUUID();
		Inbox inbox = new Inbox(() -> this.http, events);
		String id = inbox.as(tenant, "boss", "ADMIN")
			.post()
			.uri("/api/v1/quick-replies")
			.bodyValue(Map.of("shortcut", "hours", "text", "We are open 11:30-23:00"))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody()
			.path("id")
			.asString();
		inbox.as(tenant, "boss", "ADMIN")
			.post()
			.uri("/api/v1/quick-replies")
			.bodyValue(Map.of("shortcut", "hours", "text", "again"))
			.exchange()
			.expectStatus()
			.isEqualTo(409);
		inbox.as(tenant, "boss", "ADMIN")
			.post()
			.uri("/api/v1/quick-replies")
			.bodyValue(Map.of("shortcut", "Has Spaces", "text", "x"))
			.exchange()
			.expectStatus()
			.isBadRequest();
		inbox.as(tenant, "boss", "ADMIN")
			.put()
			.uri("/api/v1/quick-replies/{id}", id)
			.bodyValue(Map.of("shortcut", "hours", "text", "Open every day"))
			.exchange()
			.expectStatus()
			.isOk();
		inbox.as(tenant, "mario", "AGENT")
			.get()
			.uri("/api/v1/quick-replies")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.items[0].text")
			.isEqualTo("Open every day")
			.jsonPath("$.nextCursor")
			.doesNotExist();
		inbox.as(tenant, "boss", "ADMIN")
			.delete()
			.uri("/api/v1/quick-replies/{id}", id)
			.exchange()
			.expectStatus()
			.isNoContent();
	}

	@Test
	void whenALabelledContactWritesThenTheMessageCarriesTheContactsLabelsForRouting() {
		String tenant = "tenant-" + UUID.randomUUID();
		Inbox inbox = new Inbox(() -> this.http, events);
		WhatsAppMessageReceived first = inbox.customerWritesText(tenant, "393331110009", "Hi");
		await().atMost(Duration.ofSeconds(20)).until(() -> ids(inbox, tenant, "").size() == 1);
		String contactId = this.json
			.readTree(inbox.as(tenant, "mario", "AGENT")
				.get()
				.uri("/api/v1/conversations")
				.exchange()
				.expectBody()
				.returnResult()
				.getResponseBody())
			.path("items")
			.path(0)
			.path("contactId")
			.asString();
		String vip = inbox.as(tenant, "boss", "ADMIN")
			.post()
			.uri("/api/v1/labels")
			.bodyValue(Map.of("name", "VIP", "color", "#fdd835"))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody()
			.path("id")
			.asString();
		inbox.as(tenant, "mario", "AGENT")
			.put()
			.uri("/api/v1/contacts/{id}/labels/{label}", contactId, vip)
			.exchange()
			.expectStatus()
			.isNoContent();
		inbox.as(tenant, "mario", "AGENT")
			.get()
			.uri("/api/v1/contacts/{id}", contactId)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.labels[0]")
			.isEqualTo("VIP")
			.jsonPath("$.optInState")
			.isEqualTo("OPTED_IN")
			.jsonPath("$.optInSource")
			.isEqualTo("CUSTOMER_INITIATED");
		String version = rowVersion(contactId);
		WhatsAppMessageReceived second = inbox.customerWritesText(tenant, "393331110009", "Me again");
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(events.of(dev.switchboard.events.MessageReceived.class))
				.extracting((r) -> (dev.switchboard.events.MessageReceived) r.event())
				.filteredOn((e) -> e.conversationId().equals(first.conversationId()))
				.extracting(dev.switchboard.events.MessageReceived::wamid,
						dev.switchboard.events.MessageReceived::contactLabels)
				.containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(first.wamid(), List.of()),
						org.assertj.core.groups.Tuple.tuple(second.wamid(), List.of("VIP"))));
		// Known, opted in, the same profile name: the second message did not rewrite the
		// contact's row.
		assertThat(rowVersion(contactId)).isEqualTo(version);
	}

	/** The transaction that wrote the row's current version. */
	private String rowVersion(String contactId) {
		return this.database.sql("SELECT xmin::text AS version FROM contact WHERE id = CAST(:id AS uuid)")
			.bind("id", contactId)
			.map((row) -> row.get("version", String.class))
			.one()
			.block();
	}

	private List<String> ids(Inbox inbox, String tenant, String query) {
		byte[] body = inbox.as(tenant, "mario", "AGENT")
			.get()
			.uri("/api/v1/conversations" + query)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody();
		List<String> ids = new java.util.ArrayList<>();
		this.json.readTree(body).path("items").forEach((item) -> ids.add(item.path("id").asString()));
		return ids;
	}

}

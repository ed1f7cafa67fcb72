package dev.switchboard.inbox;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.switchboard.testsupport.ApiDocumentation;
import dev.switchboard.events.ConversationIds;
import dev.switchboard.events.MessageReceived;
import dev.switchboard.events.Topics;
import dev.switchboard.events.WhatsAppMessageReceived;
import dev.switchboard.testsupport.RealInfrastructure;
import dev.switchboard.testsupport.TestEvents;
import dev.switchboard.testsupport.TestIdentity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@InboxIntegrationTest
class WhatsAppIngestionIT {

	private static TestEvents events;

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

	@Autowired
	private org.springframework.context.ApplicationContext context;

	@Test
	void whenTheApiIsDocumentedThenEveryPublicRouteIsInTheDocumentAndTheCallerIsNoParameter() {
		ApiDocumentation.assertEveryPublicRouteDocumented(this.http, this.context);
	}

	@Test
	void whenCustomerWritesThenMessageIsStoredListedAndAnnouncedOnce() {
		String tenant = "tenant-" + UUID.randomUUID();
		String waId = "39333" + (int) (Math.random() * 1_000_000);
		String wamid = "wamid." + UUID.randomUUID();
		Instant sentAt = Instant.now().minus(5, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
		WhatsAppMessageReceived received = new WhatsAppMessageReceived(tenant, ConversationIds.of(tenant, waId),
				"106540352242922", waId, "Giulia Rossi", wamid, "text", sentAt, """
						{"from":"%s","id":"%s","timestamp":"%d","type":"text","text":{"body":"Is my order shipped?"}}"""
					.formatted(waId, wamid, sentAt.getEpochSecond()));

		events.publish(received);
		events.publish(received);

		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(events.of(MessageReceived.class))
				.filteredOn((r) -> ((MessageReceived) r.event()).wamid().equals(wamid))
				.singleElement()
				.satisfies((r) -> {
					assertThat(r.topic()).isEqualTo(Topics.INBOX_EVENTS);
					assertThat(r.key()).isEqualTo(received.conversationId());
					MessageReceived event = (MessageReceived) r.event();
					assertThat(event.sentAt()).isEqualTo(sentAt);
					assertThat(event.text()).isEqualTo("Is my order shipped?");
				}));

		conversations(tenant).jsonPath("$.items.length()")
			.isEqualTo(1)
			.jsonPath("$.items[0].id")
			.isEqualTo(received.conversationId())
			.jsonPath("$.items[0].profileName")
			.isEqualTo("Giulia Rossi")
			.jsonPath("$.items[0].unreadCount")
			.isEqualTo(1);

		this.http.get()
			.uri("/api/v1/conversations/{id}/messages", received.conversationId())
			.headers((h) -> h.setBearerAuth(TestIdentity.token("inbox-service", tenant, "agent-1", "AGENT")))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.items.length()")
			.isEqualTo(1)
			.jsonPath("$.items[0].body")
			.isEqualTo("Is my order shipped?")
			.jsonPath("$.items[0].wamid")
			.isEqualTo(wamid);

		Long stored = this.database.sql("SELECT count(*) FROM message WHERE wamid = :wamid")
			.bind("wamid", wamid)
			.map((row) -> row.get(0, Long.class))
			.one()
			.block();
		assertThat(stored).isEqualTo(1);
	}

	@Test
	void whenContactsWriteSeveralTimesAtOnceThenEachConversationCountsEveryMessageAndShowsTheLatest() {
		String tenant = "tenant-" + UUID.randomUUID();
		String giulia = "39333" + (int) (Math.random() * 1_000_000);
		String marco = "39334" + (int) (Math.random() * 1_000_000);
		Instant t0 = Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
		// Published back to back, so that they are likely read in one poll: the batch's
		// contacts, conversations and messages are written together. Out of order by
		// WhatsApp timestamp, one of them twice, one without a profile name.
		WhatsAppMessageReceived first = text(tenant, giulia, "Giulia", t0.plusSeconds(10), "first");
		WhatsAppMessageReceived latest = text(tenant, giulia, null, t0.plusSeconds(30), "latest");
		WhatsAppMessageReceived late = text(tenant, giulia, "Giulia Rossi", t0.plusSeconds(20), "late");
		WhatsAppMessageReceived other = text(tenant, marco, "Marco", t0.plusSeconds(5), "other");
		for (WhatsAppMessageReceived received : java.util.List.of(first, latest, first, late, other)) {
			events.publish(received);
		}

		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(events.of(MessageReceived.class))
				.filteredOn((r) -> ((MessageReceived) r.event()).tenantId().equals(tenant))
				.hasSize(4)
				.allSatisfy((r) -> assertThat(((MessageReceived) r.event()).contactId()).isNotBlank()));

		conversations(tenant).jsonPath("$.items.length()")
			.isEqualTo(2)
			.jsonPath("$.items[0].id")
			.isEqualTo(first.conversationId())
			.jsonPath("$.items[0].profileName")
			.isEqualTo("Giulia Rossi")
			.jsonPath("$.items[0].unreadCount")
			.isEqualTo(3)
			.jsonPath("$.items[0].lastMessageText")
			.isEqualTo("latest")
			.jsonPath("$.items[1].id")
			.isEqualTo(other.conversationId())
			.jsonPath("$.items[1].unreadCount")
			.isEqualTo(1)
			.jsonPath("$.items[1].lastMessageText")
			.isEqualTo("other");
		Long contacts = this.database.sql("SELECT count(*) FROM contact WHERE tenant_id = :tenant")
			.bind("tenant", tenant)
			.map((row) -> row.get(0, Long.class))
			.one()
			.block();
		assertThat(contacts).isEqualTo(2);
		assertThat(events.of(MessageReceived.class))
			.filteredOn((r) -> ((MessageReceived) r.event()).waId().equals(giulia))
			.extracting((r) -> ((MessageReceived) r.event()).contactId())
			.hasSize(3)
			.containsOnly(contactId(tenant, giulia));
	}

	@Test
	void whenAKnownContactWritesUnderANewNameOrWithoutConsentOnRecordThenTheContactIsUpdated() {
		String tenant = "tenant-" + UUID.randomUUID();
		String waId = "39335" + (int) (Math.random() * 1_000_000);
		Instant t0 = Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
		events.publish(text(tenant, waId, "Giulia", t0, "first"));
		await().atMost(Duration.ofSeconds(20)).until(() -> contactColumn(tenant, waId, "profile_name") != null);
		this.database
			.sql("UPDATE contact SET opt_in_state = 'UNKNOWN', opt_in_source = NULL, opt_in_at = NULL"
					+ " WHERE tenant_id = :tenant AND wa_id = :waId")
			.bind("tenant", tenant)
			.bind("waId", waId)
			.then()
			.block();

		events.publish(text(tenant, waId, "Giulia Rossi", t0.plusSeconds(10), "second"));

		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(contactColumn(tenant, waId, "profile_name")).isEqualTo("Giulia Rossi"));
		assertThat(contactColumn(tenant, waId, "opt_in_state")).isEqualTo("OPTED_IN");
		assertThat(contactColumn(tenant, waId, "opt_in_source")).isEqualTo("CUSTOMER_INITIATED");
		// A message without a profile name keeps the one the contact has.
		events.publish(text(tenant, waId, null, t0.plusSeconds(20), "third"));
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(events.of(MessageReceived.class))
				.filteredOn((r) -> ((MessageReceived) r.event()).tenantId().equals(tenant))
				.hasSize(3));
		assertThat(contactColumn(tenant, waId, "profile_name")).isEqualTo("Giulia Rossi");
	}

	private String contactColumn(String tenant, String waId, String column) {
		return this.database
			.sql("SELECT " + column + "::text AS value FROM contact WHERE tenant_id = :tenant AND wa_id = :waId")
			.bind("tenant", tenant)
			.bind("waId", waId)
			.map((row) -> row.get("value", String.class))
			.one()
			.block();
	}

	private WebTestClient.BodyContentSpec conversations(String tenant) {
		return this.http.get()
			.uri("/api/v1/conversations")
			.headers((h) -> h.setBearerAuth(TestIdentity.token("inbox-service", tenant, "agent-1", "AGENT")))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody();
	}

	private String contactId(String tenant, String waId) {
		return this.database.sql("SELECT id FROM contact WHERE tenant_id = :tenant AND wa_id = :waId")
			.bind("tenant", tenant)
			.bind("waId", waId)
			.map((row) -> String.valueOf(row.get("id", UUID.class)))
			.one()
			.block();
	}

	private static WhatsAppMessageReceived text(String tenant, String waId, String name, Instant sentAt, String body) {
		String wamid = "wamid." + UUID.randomUUID();
		return new WhatsAppMessageReceived(tenant, ConversationIds.of(tenant, waId), "106540352242922", waId, name,
				wamid, "text", sentAt, """
						{"from":"%s","id":"%s","timestamp":"%d","type":"text","text":{"body":"%s"}}""".formatted(waId,
						wamid, sentAt.getEpochSecond(), body));
	}

	@Test
	void whenAnotherTenantAsksForTheConversationThenNotFound() {
		String tenant = "tenant-" + UUID.randomUUID();
		String waId = "4917" + (int) (Math.random() * 1_000_000);
		String wamid = "wamid." + UUID.randomUUID();
		WhatsAppMessageReceived received = new WhatsAppMessageReceived(tenant, ConversationIds.of(tenant, waId),
				"106540352242922", waId, null, wamid, "sticker", Instant.now(), """
						{"from":"%s","id":"%s","type":"sticker","sticker":{"id":"media-1","mime_type":"image/webp"}}"""
					.formatted(waId, wamid));
		events.publish(received);
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(events.of(MessageReceived.class))
				.anyMatch((r) -> ((MessageReceived) r.event()).wamid().equals(wamid)));

		this.http.get()
			.uri("/api/v1/conversations/{id}/messages", received.conversationId())
			.headers((h) -> h.setBearerAuth(TestIdentity.token("inbox-service", "someone-else", "agent-1", "AGENT")))
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType("application/problem+json");
	}

	@Test
	void whenLimitOutOfRangeThenProblemDetails() {
		this.http.get()
			.uri("/api/v1/conversations?limit=1000")
			.headers((h) -> h.setBearerAuth(TestIdentity.token("inbox-service", "any", "agent-1", "AGENT")))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.detail")
			.isEqualTo("limit must be between 1 and 100");
	}

	@Test
	void whenNoIdentityTokenThenUnauthorized() {
		this.http.get()
			.uri("/api/v1/conversations")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.contentType("application/problem+json");
	}

}

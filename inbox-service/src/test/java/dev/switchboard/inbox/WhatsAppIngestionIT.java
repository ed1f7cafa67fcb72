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
import dev.switchboard.events.IdentityHeaders;
import dev.switchboard.events.MessageReceived;
import dev.switchboard.events.Topics;
import dev.switchboard.events.WhatsAppMessageReceived;
import dev.switchboard.testsupport.RealInfrastructure;
import dev.switchboard.testsupport.TestEvents;

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

		this.http.get()
			.uri("/api/v1/conversations")
			.header(IdentityHeaders.TENANT, tenant)
			.header(IdentityHeaders.SUBJECT, "agent-1")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.items.length()")
			.isEqualTo(1)
			.jsonPath("$.items[0].id")
			.isEqualTo(received.conversationId())
			.jsonPath("$.items[0].profileName")
			.isEqualTo("Giulia Rossi")
			.jsonPath("$.items[0].unreadCount")
			.isEqualTo(1);

		this.http.get()
			.uri("/api/v1/conversations/{id}/messages", received.conversationId())
			.header(IdentityHeaders.TENANT, tenant)
			.header(IdentityHeaders.SUBJECT, "agent-1")
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
			.header(IdentityHeaders.TENANT, "someone-else")
			.header(IdentityHeaders.SUBJECT, "agent-1")
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
			.header(IdentityHeaders.TENANT, "any")
			.header(IdentityHeaders.SUBJECT, "agent-1")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.detail")
			.isEqualTo("limit must be between 1 and 100");
	}

	@Test
	void whenIdentityHeadersMissingThenUnauthorized() {
		this.http.get()
			.uri("/api/v1/conversations")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.contentType("application/problem+json");
	}

}

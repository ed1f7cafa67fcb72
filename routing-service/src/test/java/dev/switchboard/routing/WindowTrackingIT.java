package dev.switchboard.routing;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.switchboard.testsupport.ApiDocumentation;
import dev.switchboard.events.ConversationIds;
import dev.switchboard.events.MessageReceived;
import dev.switchboard.events.WindowOpened;
import dev.switchboard.testsupport.IntegrationTest;
import dev.switchboard.testsupport.RealInfrastructure;
import dev.switchboard.testsupport.TestEvents;
import dev.switchboard.testsupport.TestIdentity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@IntegrationTest
@org.springframework.context.annotation.Import(TestClock.Config.class)
@AutoConfigureWebTestClient
class WindowTrackingIT {

	private static TestEvents events;

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

	@Autowired
	private org.springframework.context.ApplicationContext context;

	@Autowired
	private io.micrometer.core.instrument.MeterRegistry meters;

	@Test
	void whenTheApiIsDocumentedThenEveryPublicRouteIsInTheDocumentAndTheCallerIsNoParameter() {
		ApiDocumentation.assertEveryPublicRouteDocumented(this.http, this.context);
	}

	@Test
	void whenCustomerWritesThenWindowRunsTwentyFourHoursFromTheWhatsAppTimestampAndOpensOnce() {
		String tenant = "tenant-" + UUID.randomUUID();
		String conversation = ConversationIds.of(tenant, "393330000001");
		Instant sentAt = Instant.now().minus(30, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
		double ignoredBefore = ignored();
		// Not routing's business: read, and ignored without a transaction.
		events.publish(new dev.switchboard.events.MessageStatusChanged(tenant, conversation,
				UUID.randomUUID().toString(), "wamid.out", "DELIVERED", sentAt, null));
		String id = events.publish(received(tenant, conversation, sentAt));
		events.publish(received(tenant, conversation, sentAt), id);
		events.publish(received(tenant, conversation, sentAt.minus(10, ChronoUnit.MINUTES)));

		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> this.http.get()
				.uri("/api/v1/conversations/{id}/window", conversation)
				.headers((h) -> h.setBearerAuth(TestIdentity.token("routing-service", tenant, "agent-1", "AGENT")))
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.state")
				.isEqualTo("OPEN")
				.jsonPath("$.expiresAt")
				.isEqualTo(sentAt.plus(24, ChronoUnit.HOURS).toString())
				.jsonPath("$.lastCustomerMessageAt")
				.isEqualTo(sentAt.toString()));
		assertThat(events.of(WindowOpened.class)).filteredOn((r) -> r.event().conversationId().equals(conversation))
			.singleElement()
			.satisfies((r) -> assertThat(((WindowOpened) r.event()).expiresAt())
				.isEqualTo(sentAt.plus(24, ChronoUnit.HOURS)));
		assertThat(ignored() - ignoredBefore).isGreaterThanOrEqualTo(1);
	}

	private double ignored() {
		io.micrometer.core.instrument.Counter counter = this.meters.find("switchboard.events.consumed")
			.tag("consumer", InboxEventsConsumer.CONSUMER)
			.tag("outcome", "ignored")
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	@Test
	void whenLastMessageIsTwentyThreeAndAHalfHoursOldThenWindowIsClosing() {
		String tenant = "tenant-" + UUID.randomUUID();
		String conversation = ConversationIds.of(tenant, "393330000002");
		Instant sentAt = Instant.now().minus(Duration.ofHours(23).plusMinutes(30));
		events.publish(received(tenant, conversation, sentAt));

		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> this.http.get()
				.uri("/api/v1/conversations/{id}/window", conversation)
				.headers((h) -> h.setBearerAuth(TestIdentity.token("routing-service", tenant, "agent-1", "AGENT")))
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.state")
				.isEqualTo("CLOSING"));
	}

	@Test
	void whenAnotherTenantAsksThenNotFound() {
		this.http.get()
			.uri("/api/v1/conversations/{id}/window", UUID.randomUUID())
			.headers((h) -> h.setBearerAuth(TestIdentity.token("routing-service", "nobody", "agent-1", "AGENT")))
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType("application/problem+json");
	}

	private static MessageReceived received(String tenant, String conversation, Instant sentAt) {
		return new MessageReceived(tenant, conversation, UUID.randomUUID().toString(), UUID.randomUUID().toString(),
				"393330000001", "wamid." + UUID.randomUUID(), "text", sentAt, "hello");
	}

}

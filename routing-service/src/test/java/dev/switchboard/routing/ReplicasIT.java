package dev.switchboard.routing;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.switchboard.events.ConversationAssigned;
import dev.switchboard.events.ConversationEscalated;
import dev.switchboard.events.ConversationQueued;
import dev.switchboard.events.WindowClosing;
import dev.switchboard.events.WindowExpired;
import dev.switchboard.events.WindowOpened;
import dev.switchboard.testsupport.RealInfrastructure;
import dev.switchboard.testsupport.RealInfrastructureInitializer;
import dev.switchboard.testsupport.TestEvents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Several instances of routing-service against one database and one broker, started and
 * stopped as a deployment would: no double assignment, and timers that survive a restart.
 */
class ReplicasIT {

	private static TestEvents events;

	@BeforeAll
	static void connect() {
		events = new TestEvents(RealInfrastructure.get().kafkaBootstrapServers());
		AssignmentIT.useEvents(events);
	}

	@AfterAll
	static void disconnect() {
		events.close();
	}

	@Test
	void whenTwoReplicasDrainTheQueueAtOnceThenNoConversationIsAssignedTwiceAndNoAgentOverCapacity() {
		try (ConfigurableApplicationContext first = start(new TestClock());
				ConfigurableApplicationContext second = start(new TestClock())) {
			String tenant = "tenant-" + UUID.randomUUID();
			Routing one = new Routing(() -> client(first));
			Routing two = new Routing(() -> client(second));
			one.team(tenant, "support", "LEAST_LOADED", true);
			List<String> agents = IntStream.range(0, 6).mapToObj((n) -> "agent-" + n).toList();
			agents.forEach((agent) -> one.agent(tenant, agent, 4, "support"));
			List<String> conversations = IntStream.range(0, 30)
				.mapToObj((n) -> AssignmentIT.customerWrites(tenant, "39334000%04d".formatted(n), "hi", Instant.now()))
				.toList();
			await().atMost(Duration.ofSeconds(30))
				.until(() -> conversations.stream()
					.allMatch((c) -> !AssignmentIT.eventsOf(c, ConversationQueued.class).isEmpty()));

			// Every agent comes online at once, half through each replica: both drain the
			// queue.
			List<CompletableFuture<Void>> calls = new ArrayList<>();
			for (int i = 0; i < agents.size(); i++) {
				Routing replica = (i % 2 == 0) ? one : two;
				String agent = agents.get(i);
				calls.add(CompletableFuture.runAsync(() -> replica.presence(tenant, agent, "ONLINE")));
			}
			calls.forEach(CompletableFuture::join);

			// 6 agents x capacity 4 = 24 places for 30 conversations.
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(assignments(conversations)).hasSize(24));
			await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				List<ConversationAssigned> assigned = assignments(conversations);
				assertThat(assigned).extracting(ConversationAssigned::conversationId).doesNotHaveDuplicates();
				Map<String, Long> perAgent = assigned.stream()
					.collect(Collectors.groupingBy(ConversationAssigned::agentId, Collectors.counting()));
				assertThat(perAgent).hasSize(6).allSatisfy((agent, count) -> assertThat(count).isEqualTo(4));
			});
		}
	}

	@Test
	void whenTheServiceRestartsAfterTheWindowWasDueThenItExpiresExactlyOnce() {
		String tenant = "tenant-" + UUID.randomUUID();
		Instant sentAt = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);
		String conversation;
		try (ConfigurableApplicationContext before = start(new TestClock())) {
			conversation = AssignmentIT.customerWrites(tenant, "393350000001", "hi", sentAt);
			AssignmentIT.awaitEvent(conversation, WindowOpened.class);
		}
		TestClock later = new TestClock();
		later.advance(Duration.ofHours(23));
		try (ConfigurableApplicationContext first = start(later);
				ConfigurableApplicationContext second = start(later)) {
			WindowExpired expired = AssignmentIT.awaitEvent(conversation, WindowExpired.class);
			assertThat(expired.expiredAt()).isEqualTo(sentAt.plus(Duration.ofHours(24)));
			assertThat(expired.unanswered()).isTrue();
			await().during(Duration.ofSeconds(3))
				.atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(AssignmentIT.eventsOf(conversation, WindowExpired.class)).hasSize(1));
		}
	}

	@Test
	void whenTwoReplicasFindAnUnansweredWindowClosingThenItIsEscalatedAndAnnouncedOnce() {
		String tenant = "tenant-" + UUID.randomUUID();
		// Closing (within the last hour) but not expired: the closing timer is due at
		// once.
		Instant sentAt = Instant.now().minus(Duration.ofMinutes(23 * 60 + 30)).truncatedTo(ChronoUnit.SECONDS);
		try (ConfigurableApplicationContext first = start(new TestClock());
				ConfigurableApplicationContext second = start(new TestClock())) {
			String conversation = AssignmentIT.customerWrites(tenant, "393350000002", "hi", sentAt);
			AssignmentIT.awaitEvent(conversation, ConversationEscalated.class);
			await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				assertThat(AssignmentIT.eventsOf(conversation, WindowClosing.class)).hasSize(1);
				assertThat(AssignmentIT.eventsOf(conversation, ConversationEscalated.class)).hasSize(1);
			});
		}
	}

	private static List<ConversationAssigned> assignments(List<String> conversations) {
		return conversations.stream()
			.flatMap((c) -> AssignmentIT.eventsOf(c, ConversationAssigned.class).stream())
			.toList();
	}

	private static WebTestClient client(ConfigurableApplicationContext context) {
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		return WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
	}

	private static ConfigurableApplicationContext start(TestClock clock) {
		return new SpringApplicationBuilder(RoutingServiceApplication.class)
			.initializers(new RealInfrastructureInitializer(),
					(context) -> context.getBeanFactory().registerSingleton("clock", clock))
			.run("--server.port=0", "--management.server.port=0");
	}

}

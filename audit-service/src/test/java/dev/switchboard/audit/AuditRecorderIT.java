package dev.switchboard.audit;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;

import dev.switchboard.events.ConversationIds;
import dev.switchboard.events.EventTypes;
import dev.switchboard.events.MessageReceived;
import dev.switchboard.events.WindowOpened;
import dev.switchboard.testsupport.IntegrationTest;
import dev.switchboard.testsupport.RealInfrastructure;
import dev.switchboard.testsupport.TestEvents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@IntegrationTest
class AuditRecorderIT {

	private static TestEvents events;

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
	void whenEventsArriveAndOneIsRedeliveredThenEachIsLoggedOnce() {
		String tenant = "tenant-" + UUID.randomUUID();
		String conversation = ConversationIds.of(tenant, "4915100000001");
		Instant sentAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		String messageId = events.publish(new MessageReceived(tenant, conversation, UUID.randomUUID().toString(),
				UUID.randomUUID().toString(), "4915100000001", "wamid." + UUID.randomUUID(), "text", sentAt, "hi"));
		events.publish(new MessageReceived(tenant, conversation, UUID.randomUUID().toString(),
				UUID.randomUUID().toString(), "4915100000001", "wamid.x", "text", sentAt, "hi"), messageId);
		events.publish(new WindowOpened(tenant, conversation, sentAt, sentAt.plus(24, ChronoUnit.HOURS)));

		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(
					this.database.sql("SELECT event_type FROM audit_entry WHERE tenant_id = :tenant ORDER BY id")
						.bind("tenant", tenant)
						.map((row) -> row.get("event_type", String.class))
						.all()
						.collectList()
						.block())
				.containsExactlyInAnyOrder(EventTypes.MESSAGE_RECEIVED, EventTypes.WINDOW_OPENED));
	}

}

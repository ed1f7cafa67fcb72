package dev.switchboard.billing;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;

import dev.switchboard.events.ConversationIds;
import dev.switchboard.events.MessageReceived;
import dev.switchboard.testsupport.IntegrationTest;
import dev.switchboard.testsupport.RealInfrastructure;
import dev.switchboard.testsupport.TestEvents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@IntegrationTest
class ConversationUsageIT {

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
	void whenCustomerWritesTwiceThenTheConversationIsRecordedOnceFromItsFirstMessage() {
		String tenant = "tenant-" + UUID.randomUUID();
		String conversation = ConversationIds.of(tenant, "33600000001");
		Instant first = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
		events.publish(received(tenant, conversation, first.plus(1, ChronoUnit.HOURS)));
		events.publish(received(tenant, conversation, first));

		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(
					this.database.sql("SELECT first_message_at FROM tenant_conversation WHERE tenant_id = :tenant")
						.bind("tenant", tenant)
						.map((row) -> row.get("first_message_at", OffsetDateTime.class).toInstant())
						.all()
						.collectList()
						.block())
				.containsExactly(first));
	}

	private static MessageReceived received(String tenant, String conversation, Instant sentAt) {
		return new MessageReceived(tenant, conversation, UUID.randomUUID().toString(), UUID.randomUUID().toString(),
				"33600000001", "wamid." + UUID.randomUUID(), "text", sentAt, null);
	}

}

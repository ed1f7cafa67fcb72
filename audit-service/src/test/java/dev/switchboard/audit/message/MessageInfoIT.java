package dev.switchboard.audit.message;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.switchboard.audit.AuditApi;
import dev.switchboard.events.ConversationIds;
import dev.switchboard.events.MessageSent;
import dev.switchboard.events.MessageStatusChanged;
import dev.switchboard.testsupport.IntegrationTest;
import dev.switchboard.testsupport.RealInfrastructure;
import dev.switchboard.testsupport.TestEvents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@IntegrationTest
@AutoConfigureWebTestClient
class MessageInfoIT {

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

	@Test
	void whenAnOwnerAsksThenTheAgentDeviceNameAtSendTimeAndEveryStatusTimeAreShown() {
		AuditApi owner = new AuditApi(this.http, "tenant-" + UUID.randomUUID(), "olivia", "OWNER");
		String device = (String) owner
			.http201(
					owner.post("/api/v1/devices", Map.of("name", "Mario's phone", "kind", "PHONE", "agentId", "mario")))
			.get("id");
		String conversation = ConversationIds.of(owner.tenant(), "393331112222");
		String message = UUID.randomUUID().toString();
		String wamid = "wamid." + UUID.randomUUID();
		Instant sentAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		events.publish(new MessageSent(owner.tenant(), conversation, message, UUID.randomUUID().toString(),
				"393331112222", wamid, "mario", device, "text", null, null, sentAt));
		events.publish(new MessageStatusChanged(owner.tenant(), conversation, message, wamid, "SENT",
				sentAt.plusSeconds(1), null));
		events.publish(new MessageStatusChanged(owner.tenant(), conversation, message, wamid, "DELIVERED",
				sentAt.plusSeconds(5), null));
		// Meta repeats itself: a later copy of a status does not move its time.
		events.publish(new MessageStatusChanged(owner.tenant(), conversation, message, wamid, "DELIVERED",
				sentAt.plusSeconds(50), null));
		events.publish(new MessageStatusChanged(owner.tenant(), conversation, message, wamid, "READ",
				sentAt.plusSeconds(60), null));

		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			Map<?, ?> info = owner.ok(owner.get("/api/v1/messages/" + message + "/info"));
			assertThat(info.get("readAt")).isNotNull();
		});
		owner.ok(owner.patch("/api/v1/devices/" + device, Map.of("name", "Renamed later")));

		Map<?, ?> info = owner.ok(owner.get("/api/v1/messages/" + message + "/info"));
		assertThat(info.get("messageId")).isEqualTo(message);
		assertThat(info.get("agentId")).isEqualTo("mario");
		assertThat(info.get("deviceId")).isEqualTo(device);
		assertThat(info.get("deviceName")).isEqualTo("Mario's phone");
		assertThat(info.get("deviceState")).isEqualTo("ACTIVE");
		assertThat(Instant.parse((String) info.get("acceptedAt"))).isEqualTo(sentAt);
		assertThat(Instant.parse((String) info.get("sentAt"))).isEqualTo(sentAt.plusSeconds(1));
		assertThat(Instant.parse((String) info.get("deliveredAt"))).isEqualTo(sentAt.plusSeconds(5));
		assertThat(Instant.parse((String) info.get("readAt"))).isEqualTo(sentAt.plusSeconds(60));
		assertThat(info.get("failedAt")).isNull();

		AuditApi admin = owner.as("adele", "ADMIN");
		assertThat(admin.ok(admin.get("/api/v1/messages/" + message + "/info")).get("agentId")).isEqualTo("mario");
	}

	@Test
	void whenAnAgentAsksThenForbiddenAndAnotherTenantSeesNothing() {
		AuditApi owner = new AuditApi(this.http, "tenant-" + UUID.randomUUID(), "olivia", "OWNER");
		String conversation = ConversationIds.of(owner.tenant(), "393331113333");
		String message = UUID.randomUUID().toString();
		events.publish(new MessageSent(owner.tenant(), conversation, message, UUID.randomUUID().toString(),
				"393331113333", "wamid." + UUID.randomUUID(), "mario", UUID.randomUUID().toString(), "text", null, null,
				Instant.now()));
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> owner.ok(owner.get("/api/v1/messages/" + message + "/info")));

		AuditApi agent = owner.as("mario", "AGENT");
		Map<?, ?> forbidden = agent.problem(agent.get("/api/v1/messages/" + message + "/info"), 403);
		assertThat(forbidden.keySet().stream().map(String::valueOf)).doesNotContain("agentId", "deviceId",
				"deviceName");

		AuditApi stranger = new AuditApi(this.http, "tenant-" + UUID.randomUUID(), "olivia", "OWNER");
		stranger.problem(stranger.get("/api/v1/messages/" + message + "/info"), 404);
		// A device nobody registered is shown as such.
		assertThat(owner.ok(owner.get("/api/v1/messages/" + message + "/info")).get("deviceState"))
			.isEqualTo("UNKNOWN");
	}

	@Test
	void whenARevokedDeviceIsNamedBySendsThenTheyAreRecordedAsFromARevokedDevice() {
		AuditApi owner = new AuditApi(this.http, "tenant-" + UUID.randomUUID(), "olivia", "OWNER");
		String device = (String) owner
			.http201(owner.post("/api/v1/devices", Map.of("name", "Old tablet", "kind", "TABLET", "agentId", "anna")))
			.get("id");
		String conversation = ConversationIds.of(owner.tenant(), "393331114444");
		String before = UUID.randomUUID().toString();
		events.publish(new MessageSent(owner.tenant(), conversation, before, UUID.randomUUID().toString(),
				"393331114444", "wamid." + UUID.randomUUID(), "anna", device, "text", null, null, Instant.now()));
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> owner.ok(owner.get("/api/v1/messages/" + before + "/info")));
		owner.ok(owner.post("/api/v1/devices/" + device + "/revoke"));
		String after = UUID.randomUUID().toString();
		events.publish(new MessageSent(owner.tenant(), conversation, after, UUID.randomUUID().toString(),
				"393331114444", "wamid." + UUID.randomUUID(), "anna", device, "text", null, null, Instant.now()));
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(
					() -> assertThat(owner.ok(owner.get("/api/v1/messages/" + after + "/info")).get("deviceState"))
						.isEqualTo("REVOKED"));
		// The company keeps everything the device sent before.
		Map<?, ?> kept = owner.ok(owner.get("/api/v1/messages/" + before + "/info"));
		assertThat(kept.get("deviceState")).isEqualTo("ACTIVE");
		assertThat(kept.get("deviceName")).isEqualTo("Old tablet");
	}

}

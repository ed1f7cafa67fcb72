package dev.switchboard.inbox;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.switchboard.support.secrets.SecretContext;
import dev.switchboard.support.secrets.SecretUnreadableException;
import dev.switchboard.support.secrets.Secrets;
import dev.switchboard.testsupport.RealInfrastructure;
import dev.switchboard.testsupport.TestEvents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * CRM subscription secrets at rest: PostgreSQL holds an envelope under the master key,
 * never the secret, and an envelope copied to another subscription does not open. That
 * deliveries are still signed with the secret is {@link CrmWebhooksIT}'s.
 */
@InboxIntegrationTest
class CrmSecretsAtRestIT {

	private static TestEvents events;

	@Autowired
	private WebTestClient http;

	@Autowired
	private DatabaseClient database;

	@Autowired
	private Secrets secrets;

	@Autowired
	private MeterRegistry meters;

	@BeforeAll
	static void start() {
		events = new TestEvents(RealInfrastructure.get().kafkaBootstrapServers());
	}

	@AfterAll
	static void stop() {
		events.close();
	}

	@Test
	void whenASubscriptionIsCreatedThenItsSecretIsStoredSealedAndOnlyForItsRow() {
		String tenant = "tenant-" + UUID.randomUUID();
		Inbox inbox = new Inbox(() -> this.http, events);
		JsonNode first = create(inbox, tenant);
		JsonNode second = create(inbox, tenant);
		String secret = first.path("secret").asString();
		UUID firstId = UUID.fromString(first.path("id").asString());
		UUID secondId = UUID.fromString(second.path("id").asString());

		byte[] stored = sealed(firstId);
		assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain(secret)
			.doesNotContain(secret.substring("whsec_".length()));
		assertThat(this.database
			.sql("SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
					+ "AND table_name = 'crm_subscription'")
			.map((row) -> row.get("column_name", String.class))
			.all()
			.collectList()
			.block()).contains("secret_sealed").doesNotContain("secret");
		assertThat(this.secrets.openString(stored, context(tenant, firstId))).isEqualTo(secret);

		double failuresBefore = failures();
		assertThatExceptionOfType(SecretUnreadableException.class)
			.isThrownBy(() -> this.secrets.open(stored, context(tenant, secondId)));
		assertThatExceptionOfType(SecretUnreadableException.class)
			.isThrownBy(() -> this.secrets.open(stored, context("another-" + tenant, firstId)));
		assertThat(failures() - failuresBefore).isEqualTo(2);
		assertThat(this.secrets.openString(sealed(secondId), context(tenant, secondId)))
			.isEqualTo(second.path("secret").asString())
			.isNotEqualTo(secret);
	}

	private JsonNode create(Inbox inbox, String tenant) {
		// A public address, as the destination policy requires (no DNS in tests).
		TestHosts.point("crm.example.com", "93.184.216.34");
		return inbox.as(tenant, "boss", "ADMIN")
			.post()
			.uri("/api/v1/webhook-subscriptions")
			.bodyValue(Map.of("url", "https://crm.example.com/hook", "eventTypes", List.of("MESSAGE_RECEIVED")))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
	}

	private byte[] sealed(UUID id) {
		return this.database.sql("SELECT secret_sealed FROM crm_subscription WHERE id = :id")
			.bind("id", id)
			.map((row) -> row.get("secret_sealed", byte[].class))
			.one()
			.block();
	}

	private static SecretContext context(String tenant, UUID id) {
		return new SecretContext("inbox.crm-subscription.secret", tenant, id.toString());
	}

	private double failures() {
		return this.meters.counter("switchboard.secrets.decrypt.failures", "purpose", "inbox.crm-subscription.secret")
			.count();
	}

}

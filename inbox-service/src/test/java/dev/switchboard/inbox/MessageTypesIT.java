package dev.switchboard.inbox;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.switchboard.events.MessageReceived;
import dev.switchboard.events.WhatsAppMessageReceived;
import dev.switchboard.testsupport.RealInfrastructure;
import dev.switchboard.testsupport.TestEvents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@InboxIntegrationTest
class MessageTypesIT {

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

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', nullValues = "NULL",
			textBlock = """
					text        | {"body":"Is my order shipped?"}                                                        | text        | Is my order shipped?        | NULL
					image       | {"id":"1479537139650973","mime_type":"image/jpeg","sha256":"abc","caption":"Broken"}  | image       | Broken                      | 1479537139650973
					audio       | {"id":"2479537139650973","mime_type":"audio/ogg; codecs=opus","voice":true}            | audio       | NULL                        | 2479537139650973
					video       | {"id":"3479537139650973","mime_type":"video/mp4","caption":"Unboxing"}                 | video       | Unboxing                    | 3479537139650973
					document    | {"id":"4479537139650973","mime_type":"application/pdf","filename":"i.pdf","caption":"Invoice"} | document | Invoice            | 4479537139650973
					sticker     | {"id":"5479537139650973","mime_type":"image/webp","animated":false}                    | sticker     | NULL                        | 5479537139650973
					location    | {"latitude":45.4642,"longitude":9.19,"name":"Duomo","address":"Piazza del Duomo"}     | location    | Duomo — Piazza del Duomo — 45.4642,9.19 | NULL
					contacts    | [{"name":{"formatted_name":"Mario Rossi","first_name":"Mario"},"phones":[{"phone":"+39 333"}]}] | contacts | Mario Rossi  | NULL
					interactive | {"type":"button_reply","button_reply":{"id":"yes","title":"Yes, ship it"}}            | interactive | Yes, ship it                | NULL
					interactive | {"type":"list_reply","list_reply":{"id":"r1","title":"Tomorrow 9-12","description":"x"}} | interactive | Tomorrow 9-12           | NULL
					button      | {"payload":"STOP","text":"Stop promotions"}                                            | button      | Stop promotions             | NULL
					reaction    | {"message_id":"wamid.HBgL","emoji":"👍"}                                               | reaction    | 👍                          | NULL
					unsupported | {"errors":[{"code":131051,"title":"Message type unknown"}]}                           | unsupported | NULL                        | NULL
					order       | {"catalog_id":"123","product_items":[]}                                                | unsupported | NULL                        | NULL
					""")
	void whenACustomerSendsThisTypeThenItIsStoredAndAnnounced(String type, String object, String storedType,
			String body, String mediaId) {
		String tenant = "tenant-" + UUID.randomUUID();
		Inbox inbox = new Inbox(() -> this.http, events);
		WhatsAppMessageReceived received = inbox.customerWrites(tenant, "393330000123", type, object, Instant.now());

		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> inbox.as(tenant, "agent", "AGENT")
				.get()
				.uri("/api/v1/conversations/{id}/messages", received.conversationId())
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.items.length()")
				.isEqualTo(1)
				.jsonPath("$.items[0].type")
				.isEqualTo(storedType)
				.jsonPath("$.items[0].body")
				.isEqualTo(body)
				.jsonPath("$.items[0].mediaId")
				.isEqualTo(mediaId)
				.jsonPath("$.items[0].wamid")
				.isEqualTo(received.wamid()));
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(
					() -> assertThat(events.of(MessageReceived.class)).extracting((r) -> (MessageReceived) r.event())
						.filteredOn((e) -> e.wamid().equals(received.wamid()))
						.singleElement()
						.satisfies((e) -> assertThat(e.type()).isEqualTo(storedType)));
	}

}

package dev.switchboard.inbox;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.switchboard.events.ConversationAssigned;
import dev.switchboard.events.ConversationIds;
import dev.switchboard.events.ConversationStatusChanged;
import dev.switchboard.events.MessageReceived;
import dev.switchboard.events.MessageStatusChanged;
import dev.switchboard.testsupport.RealInfrastructure;
import dev.switchboard.testsupport.TestEvents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * CRM webhooks end to end: events from Kafka become signed deliveries to a real HTTP
 * receiver, retried after a failure, and visible in the delivery log.
 */
@InboxIntegrationTest
class CrmWebhooksIT {

	private static final String PATH = "/api/v1/webhook-subscriptions";

	private static final Duration PATIENCE = Duration.ofSeconds(30);

	private static TestEvents events;

	private static HttpServer receiver;

	/** Every request the receiver got, in arrival order. */
	private static final List<Request> requests = new CopyOnWriteArrayList<>();

	/** Deliveries the flaky endpoint has failed once already. */
	private static final Set<String> failedOnce = ConcurrentHashMap.newKeySet();

	private final JsonMapper json = JsonMapper.builder().build();

	@Autowired
	private WebTestClient http;

	@Autowired
	private DatabaseClient database;

	@Autowired
	private MeterRegistry meters;

	@BeforeAll
	static void start() throws IOException {
		events = new TestEvents(RealInfrastructure.get().kafkaBootstrapServers());
		receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		// Fails each delivery's first attempt with 500 and accepts the next.
		receiver.createContext("/flaky", (exchange) -> {
			Request request = record(exchange);
			answer(exchange, failedOnce.add(request.deliveryId()) ? 500 : 200);
		});
		// Never accepts.
		receiver.createContext("/down", (exchange) -> {
			record(exchange);
			answer(exchange, 503);
		});
		receiver.start();
	}

	@AfterAll
	static void stop() {
		receiver.stop(0);
		events.close();
	}

	@Test
	void whenTheCrmFailsOnceThenTheSignedDeliveryIsRetriedAndLoggedDelivered() {
		String tenant = "tenant-" + UUID.randomUUID();
		Inbox inbox = new Inbox(() -> this.http, events);
		JsonNode created = create(inbox, tenant, url("/flaky"), List.of("MESSAGE_RECEIVED", "CONVERSATION_RESOLVED"));
		String subscription = created.path("id").asString();
		String secret = created.path("secret").asString();
		assertThat(secret).startsWith("whsec_").hasSizeGreaterThan(40);
		double deliveredBefore = count("switchboard.inbox.crm.deliveries", "outcome", "delivered");
		double retriedBefore = count("switchboard.inbox.crm.deliveries", "outcome", "retried");
		double ignoredBefore = ignored();

		String conversation = ConversationIds.of(tenant, "393331234567");
		String messageId = UUID.randomUUID().toString();
		// Not subscribed: a status, a conversation parked, and an assignment.
		String statusEvent = events.publish(new MessageStatusChanged(tenant, conversation, messageId, "wamid.out-1",
				"DELIVERED", Instant.now(), null));
		String pendingEvent = events
			.publish(new ConversationStatusChanged(tenant, conversation, "PENDING", "mario", Instant.now()));
		String assignedEvent = events
			.publish(new ConversationAssigned(tenant, conversation, "mario", "support", "AUTO", null, Instant.now()));
		// Subscribed.
		MessageReceived received = new MessageReceived(tenant, conversation, messageId, UUID.randomUUID().toString(),
				"393331234567", "wamid.in-1", "text", Instant.parse("2026-03-01T10:15:30Z"), "Where is my order?");
		String receivedEvent = events.publish(received);

		await().atMost(PATIENCE)
			.untilAsserted(
					() -> assertThat(log(inbox, tenant, subscription, "")).singleElement().satisfies((delivery) -> {
						assertThat(delivery.path("eventType").asString()).isEqualTo("MESSAGE_RECEIVED");
						assertThat(delivery.path("status").asString()).isEqualTo("DELIVERED");
					}));
		JsonNode delivery = log(inbox, tenant, subscription, "").getFirst();
		assertThat(delivery.path("attempts").asInt()).isEqualTo(2);
		assertThat(delivery.path("lastStatusCode").asInt()).isEqualTo(200);
		assertThat(delivery.path("lastError").isNull()).isTrue();
		assertThat(delivery.path("deliveredAt").isNull()).isFalse();
		assertThat(delivery.path("nextAttemptAt").isNull()).isTrue();
		assertThat(delivery.path("eventId").asString()).isEqualTo(receivedEvent);

		String deliveryId = delivery.path("id").asString();
		List<Request> attempts = requestsFor(deliveryId);
		assertThat(attempts).hasSize(2);
		assertThat(attempts).allSatisfy((attempt) -> {
			assertThat(attempt.path()).isEqualTo("/flaky");
			assertThat(attempt.header("Content-Type")).startsWith("application/json");
			assertThat(attempt.header("X-Switchboard-Event")).isEqualTo("MESSAGE_RECEIVED");
			assertThat(attempt.header("X-Switchboard-Signature")).isEqualTo(sign(secret, attempt.body()));
			assertThat(attempt.header("X-Switchboard-Signature")).isNotEqualTo(sign(secret + "x", attempt.body()));
			assertThat(attempt.body()).isEqualTo(attempts.getFirst().body());
		});
		JsonNode body = this.json.readTree(attempts.getFirst().body());
		assertThat(body.path("id").asString()).isEqualTo(receivedEvent);
		assertThat(body.path("type").asString()).isEqualTo("MESSAGE_RECEIVED");
		assertThat(body.path("tenantId").asString()).isEqualTo(tenant);
		assertThat(Instant.parse(body.path("occurredAt").asString())).isBefore(Instant.now().plusSeconds(1));
		assertThat(body.path("data").path("messageId").asString()).isEqualTo(messageId);
		assertThat(body.path("data").path("conversationId").asString()).isEqualTo(conversation);
		assertThat(body.path("data").path("text").asString()).isEqualTo("Where is my order?");
		assertThat(body.path("data").path("sentAt").asString()).isEqualTo("2026-03-01T10:15:30Z");

		// The events nobody subscribed to turned into nothing (the status and the
		// assignment were not even decoded, their headers ruled them out; the parked
		// conversation was read, as a resolution could have been): no delivery, not even
		// a deduplication row.
		await().atMost(PATIENCE).untilAsserted(() -> assertThat(ignored() - ignoredBefore).isGreaterThanOrEqualTo(3));
		assertThat(processed(statusEvent, pendingEvent, assignedEvent)).isZero();
		assertThat(processed(receivedEvent)).isOne();
		assertThat(requests).filteredOn((request) -> request.body().contains(tenant))
			.extracting((request) -> request.header("X-Switchboard-Event"))
			.containsOnly("MESSAGE_RECEIVED");

		// A redelivered event creates no second delivery; the resolution that follows it
		// on the same partition is delivered, after its own retry.
		events.publish(received, receivedEvent);
		events.publish(new ConversationStatusChanged(tenant, conversation, "RESOLVED", "mario", Instant.now()));
		await().atMost(PATIENCE)
			.untilAsserted(() -> assertThat(log(inbox, tenant, subscription, ""))
				.extracting((d) -> d.path("eventType").asString() + ":" + d.path("status").asString() + ":"
						+ d.path("attempts").asInt())
				.containsExactly("CONVERSATION_RESOLVED:DELIVERED:2", "MESSAGE_RECEIVED:DELIVERED:2"));
		assertThat(requests).filteredOn((request) -> request.body().contains(tenant))
			.extracting((request) -> request.header("X-Switchboard-Event"))
			.containsOnly("MESSAGE_RECEIVED", "CONVERSATION_RESOLVED")
			.hasSize(4);

		// The log pages with a cursor.
		JsonNode first = page(inbox, tenant, PATH + "/" + subscription + "/deliveries?limit=1");
		assertThat(first.path("items")).hasSize(1);
		String cursor = first.path("nextCursor").asString();
		JsonNode second = page(inbox, tenant, PATH + "/" + subscription + "/deliveries?limit=1&cursor=" + cursor);
		assertThat(second.path("items")).hasSize(1);
		assertThat(second.path("nextCursor").isNull()).isTrue();
		assertThat(second.path("items").path(0).path("id").asString())
			.isNotEqualTo(first.path("items").path(0).path("id").asString());

		assertThat(count("switchboard.inbox.crm.deliveries", "outcome", "delivered") - deliveredBefore)
			.isGreaterThanOrEqualTo(2);
		assertThat(count("switchboard.inbox.crm.deliveries", "outcome", "retried") - retriedBefore)
			.isGreaterThanOrEqualTo(2);
	}

	@Test
	void whenTheCrmNeverAcceptsThenTheDeliveryFailsAfterTheLastAttemptAndDeactivationStopsDeliveries() {
		String tenant = "tenant-" + UUID.randomUUID();
		Inbox inbox = new Inbox(() -> this.http, events);
		String subscription = create(inbox, tenant, url("/down"), List.of("MESSAGE_STATUS")).path("id").asString();
		String conversation = ConversationIds.of(tenant, "393339876543");

		events.publish(new MessageStatusChanged(tenant, conversation, UUID.randomUUID().toString(), "wamid.out-2",
				"FAILED", Instant.now(), "131026 Message undeliverable"));

		await().atMost(PATIENCE)
			.untilAsserted(() -> assertThat(log(inbox, tenant, subscription, "")).singleElement()
				.satisfies((delivery) -> assertThat(delivery.path("status").asString()).isEqualTo("FAILED")));
		JsonNode delivery = log(inbox, tenant, subscription, "").getFirst();
		// switchboard.crm-webhooks.max-attempts is 3 in the tests.
		assertThat(delivery.path("attempts").asInt()).isEqualTo(3);
		assertThat(delivery.path("lastStatusCode").asInt()).isEqualTo(503);
		assertThat(delivery.path("lastError").asString()).contains("Gave up after 3 attempts", "HTTP 503");
		assertThat(delivery.path("deliveredAt").isNull()).isTrue();
		assertThat(requestsFor(delivery.path("id").asString())).hasSize(3);

		inbox.as(tenant, "owner", "OWNER")
			.delete()
			.uri(PATH + "/{id}", subscription)
			.exchange()
			.expectStatus()
			.isNoContent();
		JsonNode deactivated = inbox.as(tenant, "owner", "OWNER")
			.get()
			.uri(PATH + "/{id}", subscription)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(deactivated.path("active").asBoolean()).isFalse();
		assertThat(deactivated.path("deactivatedAt").isNull()).isFalse();

		double ignoredBefore = ignored();
		String afterwards = events.publish(new MessageStatusChanged(tenant, conversation, UUID.randomUUID().toString(),
				"wamid.out-3", "READ", Instant.now(), null));
		// Read, and ignored: no active subscription asks for it any more.
		await().atMost(PATIENCE).untilAsserted(() -> assertThat(ignored()).isGreaterThan(ignoredBefore));
		assertThat(processed(afterwards)).isZero();
		assertThat(log(inbox, tenant, subscription, "")).hasSize(1);
	}

	@Test
	void whenTheCallerIsNotAllowedOrTheSubscriptionIsBadThenItIsRefusedAndNothingIsStored() {
		String tenant = "tenant-" + UUID.randomUUID();
		Inbox inbox = new Inbox(() -> this.http, events);
		String subscription = create(inbox, tenant, url("/flaky"), List.of("CONVERSATION_ASSIGNED")).path("id")
			.asString();

		inbox.as(tenant, "mario", "AGENT")
			.post()
			.uri(PATH)
			.bodyValue(Map.of("url", url("/flaky"), "eventTypes", List.of("MESSAGE_RECEIVED")))
			.exchange()
			.expectStatus()
			.isForbidden();
		inbox.as(tenant, "mario", "AGENT").get().uri(PATH).exchange().expectStatus().isForbidden();
		inbox.as(tenant, "mario", "FINANCE")
			.get()
			.uri(PATH + "/{id}/deliveries", subscription)
			.exchange()
			.expectStatus()
			.isForbidden();

		String other = "another-" + tenant;
		inbox.as(other, "boss", "OWNER").get().uri(PATH + "/{id}", subscription).exchange().expectStatus().isNotFound();
		inbox.as(other, "boss", "OWNER")
			.get()
			.uri(PATH + "/{id}/deliveries", subscription)
			.exchange()
			.expectStatus()
			.isNotFound();
		inbox.as(other, "boss", "OWNER")
			.delete()
			.uri(PATH + "/{id}", subscription)
			.exchange()
			.expectStatus()
			.isNotFound();
		assertThat(page(inbox, other, PATH).path("items")).isEmpty();

		refused(inbox, tenant, Map.of("url", "ftp://crm.example.com/hook", "eventTypes", List.of("MESSAGE_RECEIVED")),
				"url-scheme");
		refused(inbox, tenant,
				Map.of("url", "https://user:secret@crm.example.com/hook", "eventTypes", List.of("MESSAGE_RECEIVED")),
				"url-credentials");
		refused(inbox, tenant, Map.of("url", "https://crm example.com", "eventTypes", List.of("MESSAGE_RECEIVED")),
				"url-invalid");
		refused(inbox, tenant, Map.of("eventTypes", List.of("MESSAGE_RECEIVED")), "url-missing");
		refused(inbox, tenant, Map.of("url", "https://crm.example.com/hook", "eventTypes", List.of()),
				"event-types-missing");
		refused(inbox, tenant, Map.of("url", "https://crm.example.com/hook", "eventTypes", List.of("MESSAGE_SENT")),
				"event-type-unknown");
		refused(inbox, tenant, "{\"url\": ", "unreadable");

		// Only the first subscription exists; no listing ever shows a secret.
		JsonNode list = page(inbox, tenant, PATH);
		assertThat(list.path("items")).singleElement().satisfies((item) -> {
			assertThat(item.path("id").asString()).isEqualTo(subscription);
			assertThat(item.path("eventTypes").path(0).asString()).isEqualTo("CONVERSATION_ASSIGNED");
			assertThat(item.has("secret")).isFalse();
		});
		assertThat(inbox.as(tenant, "boss", "ADMIN")
			.get()
			.uri(PATH + "/{id}", subscription)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody()
			.has("secret")).isFalse();
	}

	@Test
	void whenATenantHasMoreSubscriptionsThanAPageThenTheCursorWalksThemNewestFirst() {
		String tenant = "tenant-" + UUID.randomUUID();
		Inbox inbox = new Inbox(() -> this.http, events);
		List<String> created = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			created.add(create(inbox, tenant, url("/flaky?n=" + i), List.of("MESSAGE_STATUS")).path("id").asString());
		}
		JsonNode first = page(inbox, tenant, PATH + "?limit=2");
		assertThat(first.path("items")).hasSize(2);
		JsonNode second = page(inbox, tenant, PATH + "?limit=2&cursor=" + first.path("nextCursor").asString());
		assertThat(second.path("items")).hasSize(1);
		assertThat(second.path("nextCursor").isNull()).isTrue();
		List<String> seen = new ArrayList<>();
		first.path("items").forEach((item) -> seen.add(item.path("id").asString()));
		second.path("items").forEach((item) -> seen.add(item.path("id").asString()));
		assertThat(seen).containsExactlyInAnyOrderElementsOf(created);
		inbox.as(tenant, "boss", "OWNER")
			.get()
			.uri(PATH + "?cursor=not-a-cursor")
			.exchange()
			.expectStatus()
			.isBadRequest();
	}

	private JsonNode create(Inbox inbox, String tenant, String url, List<String> eventTypes) {
		return inbox.as(tenant, "boss", "ADMIN")
			.post()
			.uri(PATH)
			.bodyValue(Map.of("url", url, "eventTypes", eventTypes))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectHeader()
			.valueMatches("Location", PATH + "/[0-9a-f-]{36}")
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
	}

	private void refused(Inbox inbox, String tenant, Object body, String reason) {
		double before = count("switchboard.inbox.crm.subscriptions.rejected", "reason", reason);
		inbox.as(tenant, "boss", "OWNER")
			.post()
			.uri(PATH)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.reason")
			.isEqualTo(reason)
			.jsonPath("$.detail")
			.isNotEmpty();
		assertThat(count("switchboard.inbox.crm.subscriptions.rejected", "reason", reason) - before).isEqualTo(1);
	}

	private List<JsonNode> log(Inbox inbox, String tenant, String subscription, String query) {
		List<JsonNode> items = new ArrayList<>();
		page(inbox, tenant, PATH + "/" + subscription + "/deliveries" + query).path("items").forEach(items::add);
		return items;
	}

	private JsonNode page(Inbox inbox, String tenant, String uri) {
		return inbox.as(tenant, "boss", "ADMIN")
			.get()
			.uri(uri)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
	}

	private long processed(String... eventIds) {
		Long found = this.database
			.sql("SELECT count(*) AS n FROM processed_event WHERE consumer = 'inbox.notify-crm' AND event_id IN (:ids)")
			.bind("ids", List.of(eventIds))
			.map((row) -> row.get("n", Long.class))
			.one()
			.block(Duration.ofSeconds(10));
		return (found != null) ? found : 0;
	}

	private double ignored() {
		Counter counter = this.meters.find("switchboard.events.consumed")
			.tag("consumer", "inbox.notify-crm")
			.tag("outcome", "ignored")
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	private double count(String name, String tag, String value) {
		Counter counter = this.meters.find(name).tag(tag, value).counter();
		return (counter != null) ? counter.count() : 0;
	}

	private static List<Request> requestsFor(String deliveryId) {
		return requests.stream().filter((request) -> deliveryId.equals(request.deliveryId())).toList();
	}

	private static String url(String path) {
		return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
	}

	/** What a receiver computes to check a delivery: HMAC-SHA256 of the raw body. */
	private static String sign(String secret, String body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Request record(HttpExchange exchange) throws IOException {
		String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
		Map<String, String> headers = new ConcurrentHashMap<>();
		exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.getFirst()));
		Request request = new Request(exchange.getRequestURI().getPath(), headers, body);
		requests.add(request);
		return request;
	}

	private static void answer(HttpExchange exchange, int status) throws IOException {
		exchange.sendResponseHeaders(status, -1);
		exchange.close();
	}

	private record Request(String path, Map<String, String> headers, String body) {

		String header(String name) {
			return this.headers.getOrDefault(name.toLowerCase(), "");
		}

		String deliveryId() {
			return header("X-Switchboard-Delivery");
		}

	}

}

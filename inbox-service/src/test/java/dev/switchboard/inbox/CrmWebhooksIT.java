package dev.switchboard.inbox;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

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
 * CRM webhooks end to end: events from Kafka become deliveries signed in the Standard
 * Webhooks scheme to a real HTTP receiver, retried after a failure, and visible in the
 * delivery log; URLs that lead inside are refused, at creation and at delivery.
 */
@InboxIntegrationTest
class CrmWebhooksIT {

	private static final String PATH = "/api/v1/webhook-subscriptions";

	private static final Duration PATIENCE = Duration.ofSeconds(30);

	private static final String RECEIVER_HOST = "receiver.crm.test";

	/** A public address (example.com's); no test ever connects to it. */
	private static final String PUBLIC_ADDRESS = "93.184.215.14";

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
		// A name, so deliveries go through the checking resolver to the address it
		// pinned.
		TestHosts.point(RECEIVER_HOST, "127.0.0.1");
		receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		// Fails each delivery's first attempt with 500 and accepts the next.
		receiver.createContext("/flaky", (exchange) -> {
			Request request = record(exchange);
			answer(exchange, failedOnce.add(request.webhookId()) ? 500 : 200);
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
		assertThat(delivery.path("lastStatusClass").asString()).isEqualTo("2xx");
		assertThat(delivery.path("lastError").isNull()).isTrue();
		assertThat(delivery.path("deliveredAt").isNull()).isFalse();
		assertThat(delivery.path("nextAttemptAt").isNull()).isTrue();
		assertThat(delivery.path("eventId").asString()).isEqualTo(receivedEvent);

		List<Request> attempts = requestsFor(receivedEvent);
		assertThat(attempts).hasSize(2);
		long now = Instant.now().getEpochSecond();
		assertThat(attempts).allSatisfy((attempt) -> {
			assertThat(attempt.path()).isEqualTo("/flaky");
			assertThat(attempt.header("Content-Type")).startsWith("application/json");
			// Standard Webhooks: the event's id on every attempt, the attempt's time, and
			// a signature over both and the body; no unsigned metadata.
			assertThat(attempt.webhookId()).isEqualTo(receivedEvent);
			assertThat(Long.parseLong(attempt.header("webhook-timestamp"))).isBetween(now - 60, now + 5);
			assertThat(attempt.header("webhook-signature")).startsWith("v1,");
			assertThat(verified(secret, attempt)).isTrue();
			assertThat(verified("whsec_" + Base64.getEncoder().encodeToString(new byte[32]), attempt)).isFalse();
			assertThat(attempt.headers().keySet()).noneMatch((name) -> name.startsWith("x-switchboard"));
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
			.extracting(this::type)
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
			.extracting(this::type)
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
		assertThat(delivery.path("lastStatusClass").asString()).isEqualTo("5xx");
		assertThat(delivery.path("lastError").asString())
			.isEqualTo("Gave up after 3 attempts: Delivery failed: HTTP 5xx");
		assertThat(delivery.path("deliveredAt").isNull()).isTrue();
		assertThat(requestsFor(delivery.path("eventId").asString())).hasSize(3);

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

	@Test
	void whenAUrlLeadsInsideThenItIsRefusedNamingTheRuleAndNothingIsStored() {
		String tenant = "tenant-" + UUID.randomUUID();
		Inbox inbox = new Inbox(() -> this.http, events);
		TestHosts.point("loopback-" + tenant + ".example.com", "127.0.0.1");
		TestHosts.point("half-inside-" + tenant + ".example.com", PUBLIC_ADDRESS, "10.1.2.3");
		Map<String, String> refusals = new LinkedHashMap<>();
		// Plain http only to loopback (allowed in local runs, as in these tests).
		refusals.put("http://10.0.0.1/hook", "url-scheme");
		refusals.put("http://169.254.169.254/latest/meta-data/", "url-scheme");
		refusals.put("https://127.0.0.1/hook", "url-address-not-public");
		refusals.put("https://10.0.0.1/hook", "url-address-not-public");
		refusals.put("https://192.168.0.10/hook", "url-address-not-public");
		refusals.put("https://169.254.169.254/latest/meta-data/", "url-address-not-public");
		refusals.put("https://100.64.0.1/hook", "url-address-not-public");
		refusals.put("https://0.0.0.0/hook", "url-address-not-public");
		refusals.put("https://[::1]/hook", "url-address-not-public");
		refusals.put("https://[::ffff:127.0.0.1]/hook", "url-address-not-public");
		refusals.put("https://[fd00:ec2::254]/hook", "url-address-not-public");
		refusals.put("https://[fe80::1]/hook", "url-address-not-public");
		refusals.put("https://localhost/hook", "url-host-not-public");
		refusals.put("https://metadata.google.internal/computeMetadata/v1/", "url-host-not-public");
		refusals.put("https://loopback-" + tenant + ".example.com/hook", "url-host-not-public");
		refusals.put("https://half-inside-" + tenant + ".example.com/hook", "url-host-not-public");
		refusals.put("https://2130706433/", "url-invalid");
		refusals.put("https://admin:admin@" + RECEIVER_HOST + "/hook", "url-credentials");
		refusals.forEach((url, reason) -> refused(inbox, tenant,
				Map.of("url", url, "eventTypes", List.of("MESSAGE_RECEIVED")), reason));
		assertThat(page(inbox, tenant, PATH).path("items")).isEmpty();
		assertThat(stored(tenant)).isZero();
	}

	@Test
	void whenATenantHasTheMostSubscriptionsThenAnotherIsRefusedEvenWhenCreatedConcurrently() throws Exception {
		String tenant = "tenant-" + UUID.randomUUID();
		Inbox inbox = new Inbox(() -> this.http, events);
		TestHosts.point("crm-" + tenant + ".example.com", PUBLIC_ADDRESS);
		String url = "https://crm-" + tenant + ".example.com/hook";
		List<String> created = new ArrayList<>();
		for (int i = 0; i < 15; i++) {
			created.add(create(inbox, tenant, url + "?n=" + i, List.of("MESSAGE_STATUS")).path("id").asString());
		}
		// Ten at once for the last five places: five get one.
		List<Integer> statuses = new CopyOnWriteArrayList<>();
		try (ExecutorService pool = Executors.newFixedThreadPool(10)) {
			List<Future<?>> futures = new ArrayList<>();
			for (int i = 0; i < 10; i++) {
				String next = url + "?concurrent=" + i;
				futures.add(pool.submit(() -> statuses.add(inbox.as(tenant, "boss", "ADMIN")
					.post()
					.uri(PATH)
					.bodyValue(Map.of("url", next, "eventTypes", List.of("MESSAGE_STATUS")))
					.exchange()
					.returnResult(String.class)
					.getStatus()
					.value())));
			}
			for (Future<?> future : futures) {
				future.get(30, TimeUnit.SECONDS);
			}
		}
		assertThat(statuses).filteredOn((status) -> status == 201).hasSize(5);
		assertThat(statuses).filteredOn((status) -> status == 409).hasSize(5);
		assertThat(stored(tenant)).isEqualTo(20);

		double before = count("switchboard.inbox.crm.subscriptions.rejected", "reason", "subscription-limit");
		inbox.as(tenant, "boss", "OWNER")
			.post()
			.uri(PATH)
			.bodyValue(Map.of("url", url + "?n=21", "eventTypes", List.of("MESSAGE_STATUS")))
			.exchange()
			.expectStatus()
			.isEqualTo(409)
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.reason")
			.isEqualTo("subscription-limit")
			.jsonPath("$.detail")
			.value((detail) -> assertThat(detail.toString()).contains("20"));
		assertThat(count("switchboard.inbox.crm.subscriptions.rejected", "reason", "subscription-limit") - before)
			.isEqualTo(1);
		assertThat(stored(tenant)).isEqualTo(20);

		// A deactivated subscription frees its place.
		inbox.as(tenant, "owner", "OWNER")
			.delete()
			.uri(PATH + "/{id}", created.getFirst())
			.exchange()
			.expectStatus()
			.isNoContent();
		create(inbox, tenant, url + "?n=22", List.of("MESSAGE_STATUS"));
	}

	@Test
	void whenANameIsRepointedInsideAfterTheSubscriptionThenTheDeliveryIsRefusedAndTheTenantSeesAGenericError() {
		String tenant = "tenant-" + UUID.randomUUID();
		Inbox inbox = new Inbox(() -> this.http, events);
		String host = "rebind-" + tenant + ".example.com";
		TestHosts.point(host, PUBLIC_ADDRESS);
		String subscription = create(inbox, tenant, "https://" + host + "/hook", List.of("MESSAGE_STATUS")).path("id")
			.asString();
		// DNS rebinding: the name that was public when checked now leads to loopback.
		TestHosts.point(host, "127.0.0.1");
		double refusedBefore = count("switchboard.inbox.crm.deliveries.refused", "reason", "loopback");

		events.publish(new MessageStatusChanged(tenant, ConversationIds.of(tenant, "393330001111"),
				UUID.randomUUID().toString(), "wamid.out-rebind", "DELIVERED", Instant.now(), null));

		await().atMost(PATIENCE)
			.untilAsserted(() -> assertThat(log(inbox, tenant, subscription, "")).singleElement()
				.satisfies((delivery) -> assertThat(delivery.path("status").asString()).isEqualTo("FAILED")));
		JsonNode delivery = log(inbox, tenant, subscription, "").getFirst();
		assertThat(delivery.path("attempts").asInt()).isEqualTo(3);
		assertThat(delivery.path("lastError").asString()).isEqualTo("Gave up after 3 attempts: Delivery failed");
		assertThat(delivery.path("lastStatusClass").isNull()).isTrue();
		assertThat(delivery.toString()).doesNotContain("127.0.0.1", "loopback", "Exception", host);
		// Refused before connecting, each attempt.
		assertThat(count("switchboard.inbox.crm.deliveries.refused", "reason", "loopback") - refusedBefore)
			.isGreaterThanOrEqualTo(3);
		assertThat(requestsFor(delivery.path("eventId").asString())).isEmpty();
	}

	private long stored(String tenant) {
		Long found = this.database.sql("SELECT count(*) AS n FROM crm_subscription WHERE tenant_id = :tenant")
			.bind("tenant", tenant)
			.map((row) -> row.get("n", Long.class))
			.one()
			.block(Duration.ofSeconds(10));
		return (found != null) ? found : 0;
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

	private static List<Request> requestsFor(String webhookId) {
		return requests.stream().filter((request) -> webhookId.equals(request.webhookId())).toList();
	}

	private String type(Request request) {
		return this.json.readTree(request.body()).path("type").asString();
	}

	private static String url(String path) {
		return "http://" + RECEIVER_HOST + ":" + receiver.getAddress().getPort() + path;
	}

	/**
	 * What a receiver does to check a delivery (Standard Webhooks): HMAC-SHA256, keyed
	 * with the base64 after {@code whsec_}, of {@code id.timestamp.body}, compared in
	 * constant time with each {@code v1,} signature of the header.
	 */
	private static boolean verified(String secret, Request request) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
			byte[] expected = mac
				.doFinal((request.webhookId() + "." + request.header("webhook-timestamp") + "." + request.body())
					.getBytes(StandardCharsets.UTF_8));
			for (String signature : request.header("webhook-signature").split(" ")) {
				if (signature.startsWith("v1,")
						&& MessageDigest.isEqual(expected, Base64.getDecoder().decode(signature.substring(3)))) {
					return true;
				}
			}
			return false;
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

		String webhookId() {
			return header("webhook-id");
		}

	}

}

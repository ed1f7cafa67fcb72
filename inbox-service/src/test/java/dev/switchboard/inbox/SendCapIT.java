package dev.switchboard.inbox;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.switchboard.events.ConversationIds;
import dev.switchboard.events.WhatsAppMessageReceived;
import dev.switchboard.sandbox.WhatsAppSandbox;
import dev.switchboard.testsupport.Database;
import dev.switchboard.testsupport.RealInfrastructure;
import dev.switchboard.testsupport.RealInfrastructureInitializer;
import dev.switchboard.testsupport.TestEvents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Cloud API send cap with two inbox replicas against one database and one broker,
 * measured where Meta would see it: the sandbox's own receive times.
 * <p>
 * The two replicas are a platform of their own: a database and consumer groups no other
 * test's context uses. The contexts other tests leave cached in this JVM are inbox
 * replicas too, with the default cap; on the shared database their senders would claim
 * and send part of the burst from a bucket of their own rate.
 */
class SendCapIT {

	private static final Logger logger = LoggerFactory.getLogger(SendCapIT.class);

	private static final WhatsAppSandbox SANDBOX = InboxIntegrationTest.Sandbox.SANDBOX;

	/**
	 * A cap well below the rate at which this machine takes the burst in (two replicas
	 * accept about 25 posts a second here), so that when the sends reach the sandbox is
	 * decided by the bucket, not by how fast they were posted.
	 */
	private static final int CAP = 5;

	private static final int BURST = 60;

	/**
	 * How much later than its token a send may reach the sandbox: on a loaded machine
	 * sends queue between the bucket and the sandbox and arrive bunched. A cap per
	 * replica (twice the burst, twice the refill) still breaks the bounds (20 within 1 s,
	 * 30 within 2 s), and the burst's duration below tells the two apart on its own.
	 */
	private static final Duration JITTER = Duration.ofSeconds(1);

	private static TestEvents events;

	private static Database database;

	@BeforeAll
	static void connect() {
		events = new TestEvents(RealInfrastructure.get().kafkaBootstrapServers());
		database = RealInfrastructure.newDatabase("inbox_sendcap");
	}

	@AfterAll
	static void disconnect() {
		events.close();
		RealInfrastructure.drop(database);
	}

	@Test
	void whenABurstIsSentThroughTwoReplicasThenTheSandboxNeverSeesMoreThanTheCapAllows() {
		// A number of its own: the cap is per business number and the table is shared
		// with
		// the other tests of this JVM.
		String phoneNumberId = "1065" + (100_000_000 + (long) (Math.random() * 800_000_000));
		String tenant = "tenant-" + UUID.randomUUID();
		ReactorResourceFactory firstResources = resources();
		ReactorResourceFactory secondResources = resources();
		try (ConfigurableApplicationContext first = start(firstResources);
				ConfigurableApplicationContext second = start(secondResources)) {
			Inbox one = new Inbox(() -> client(first), events);
			Inbox two = new Inbox(() -> client(second), events);
			String deviceId = "device-" + UUID.randomUUID();
			one.device(tenant, deviceId, "mario", "ACTIVE", 1);
			List<String> conversations = new ArrayList<>();
			Instant sentAt = Instant.now().minus(Duration.ofMinutes(5)).truncatedTo(ChronoUnit.SECONDS);
			for (int i = 0; i < 10; i++) {
				String waId = "39334" + (1_000_000 + i) + phoneNumberId.substring(4, 8);
				String conversation = ConversationIds.of(tenant, waId);
				events.publish(new WhatsAppMessageReceived(tenant, conversation, phoneNumberId, waId, "Customer " + i,
						"wamid." + UUID.randomUUID(), "text", sentAt, """
								{"from":"%s","id":"x","timestamp":"%d","type":"text","text":{"body":"Hi"}}"""
							.formatted(waId, sentAt.getEpochSecond())));
				one.windowOpen(tenant, conversation, sentAt);
				conversations.add(conversation);
			}
			// The new consumer groups start from the topics' history (other tests' events
			// first).
			DatabaseClient projection = first.getBean(DatabaseClient.class);
			await().atMost(Duration.ofSeconds(60))
				.until(() -> projection.sql("""
						SELECT count(*) AS n FROM conversation c JOIN routing_view r ON r.conversation_id = c.id
						WHERE c.tenant_id = :tenant AND r.window_expires_at IS NOT NULL""")
					.bind("tenant", tenant)
					.map((row) -> row.get("n", Long.class))
					.one()
					.block(), (n) -> n == conversations.size());
			await().atMost(Duration.ofSeconds(30))
				.until(() -> projection.sql("SELECT state FROM device WHERE tenant_id = :tenant AND device_id = :id")
					.bind("tenant", tenant)
					.bind("id", deviceId)
					.map((row) -> row.get("state", String.class))
					.one()
					.blockOptional()
					.orElse(""), "ACTIVE"::equals);

			// The burst: half through each replica, at once. A thread per post: the
			// common pool has one thread on two cores and would post them in turn.
			long posting = System.nanoTime();
			try (ExecutorService posters = Executors.newVirtualThreadPerTaskExecutor()) {
				List<CompletableFuture<Void>> posts = new ArrayList<>();
				for (int i = 0; i < BURST; i++) {
					Inbox replica = (i % 2 == 0) ? one : two;
					String conversation = conversations.get(i % conversations.size());
					String text = "Burst " + i + " " + phoneNumberId;
					posts.add(CompletableFuture.runAsync(() -> replica.as(tenant, "mario", "AGENT")
						.post()
						.uri("/api/v1/conversations/{id}/messages", conversation)
						.header("X-Device-Id", deviceId)
						.bodyValue(Map.of("type", "text", "text", text))
						.exchange()
						.expectStatus()
						.isAccepted(), posters));
				}
				posts.forEach(CompletableFuture::join);
			}
			Duration posted = Duration.ofNanos(System.nanoTime() - posting);

			List<Instant> received = await().atMost(Duration.ofSeconds(60))
				.until(() -> SANDBOX.sent()
					.stream()
					.filter((sent) -> sent.phoneNumberId().equals(phoneNumberId) && sent.status() == 200)
					.map(WhatsAppSandbox.Sent::receivedAt)
					.sorted()
					.toList(), (times) -> times.size() >= BURST);

			assertThat(received).hasSize(BURST);
			Duration took = Duration.between(received.getFirst(), received.getLast());
			logger.info(
					"Send cap {}/s, {} sends posted through two replicas in {} ms: {} ms from first to last at the"
							+ " sandbox, at most {} in 1 s, {} in 2 s",
					CAP, BURST, posted.toMillis(), took.toMillis(), mostWithin(received, Duration.ofSeconds(1)),
					mostWithin(received, Duration.ofSeconds(2)));
			// In any window of length w the bucket gives at most its burst (CAP) plus
			// what it refills in w, sends reaching the sandbox a little late included.
			for (Duration window : List.of(Duration.ofSeconds(1), Duration.ofSeconds(2))) {
				long allowed = CAP + (long) Math.floor(CAP * (window.plus(JITTER).toMillis() / 1000.0));
				assertThat(mostWithin(received, window)).as("sends within %s", window).isLessThanOrEqualTo(allowed);
			}
			// A cap per replica would have let both burst and refill: half this time. The
			// burst went in faster than even that, so the times above are the bucket's.
			Duration shared = Duration.ofMillis((BURST - CAP) * 1000L / CAP);
			assertThat(posted).as("time to post the burst").isLessThan(shared.dividedBy(2));
			assertThat(took).isGreaterThanOrEqualTo(shared.minusMillis(500));
			assertThat(throttled(first) + throttled(second)).isPositive();
		}
		finally {
			firstResources.destroy();
			secondResources.destroy();
		}
	}

	private static long mostWithin(List<Instant> sorted, Duration window) {
		long most = 0;
		int start = 0;
		for (int end = 0; end < sorted.size(); end++) {
			while (Duration.between(sorted.get(start), sorted.get(end)).compareTo(window) >= 0) {
				start++;
			}
			most = Math.max(most, end - start + 1);
		}
		return most;
	}

	private static double throttled(ConfigurableApplicationContext context) {
		var counter = context.getBean(MeterRegistry.class).find("switchboard.inbox.sends.throttled").counter();
		return (counter != null) ? counter.count() : 0;
	}

	private static WebTestClient client(ConfigurableApplicationContext context) {
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build();
	}

	/**
	 * Netty resources of each replica's own: closing one context must not dispose event
	 * loops the other still serves on.
	 */
	private static ReactorResourceFactory resources() {
		ReactorResourceFactory resources = new ReactorResourceFactory();
		resources.setUseGlobalResources(false);
		resources.afterPropertiesSet();
		return resources;
	}

	private static ConfigurableApplicationContext start(ReactorResourceFactory resources) {
		return new SpringApplicationBuilder(InboxServiceApplication.class)
			.initializers(new RealInfrastructureInitializer(), new InboxIntegrationTest.Sandbox(),
					SendCapIT::ownPlatform,
					(context) -> context.getBeanFactory().registerSingleton("reactorResourceFactory", resources))
			.run("--server.port=0", "--management.server.port=0", "--switchboard.whatsapp.messages-per-second=" + CAP);
	}

	/**
	 * Both replicas on this test's database, reading the topics in consumer groups of
	 * their own (the real infrastructure's settings come first, so these go before them).
	 */
	private static void ownPlatform(ConfigurableApplicationContext context) {
		Map<String, Object> properties = new HashMap<>();
		properties.put("switchboard.db.name", database.name());
		for (String binding : List.of("ingestWhatsApp-in-0", "followPlatform-in-0", "notifyCrm-in-0")) {
			properties.put("spring.cloud.stream.bindings." + binding + ".group", database.name() + "." + binding);
		}
		context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("sendCapPlatform", properties));
	}

}

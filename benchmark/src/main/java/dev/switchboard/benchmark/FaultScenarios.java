package dev.switchboard.benchmark;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;

import tools.jackson.databind.JsonNode;

import dev.switchboard.events.EventTypes;
import dev.switchboard.sandbox.WhatsAppSandbox;

/**
 * The fault scenarios. Each posts a load of signed webhooks through the gateway while
 * something goes wrong, then reconciles everything acknowledged so far against what is
 * stored ({@link Reconciliation}).
 */
final class FaultScenarios {

	private final Harness harness;

	private final Tenant tenant;

	private final int messages;

	private final double rate;

	private final Duration catchUp;

	private final Set<String> acked = ConcurrentHashMap.newKeySet();

	private final OpenLoad load;

	private int runs;

	/** Webhooks the last scenario under load posted again (as Meta retries). */
	private int reposted;

	private String deviceId;

	private String agentToken;

	FaultScenarios(Harness harness, Tenant tenant, int messages, double rate, Duration catchUp) {
		this.harness = harness;
		this.tenant = tenant;
		this.messages = messages;
		this.rate = rate;
		this.catchUp = catchUp;
		this.load = new OpenLoad(harness.gateways());
	}

	/** A service killed with SIGKILL in the middle of a load, then restarted. */
	Reconciliation.Outcome killService(String service) {
		return underLoad("SIGKILL " + service + " and restart", () -> {
			this.harness.services().kill(service);
			Harness.log(service + " killed (SIGKILL)");
			Processes.sleep(1000);
			this.harness.services().start(service, Duration.ofSeconds(180));
			Harness.log(service + " restarted");
		});
	}

	/**
	 * A service stopped with SIGTERM in the middle of a load, as a rolling deployment
	 * does: it must finish the events in hand and commit their offsets before it exits,
	 * so the restarted service is not handed any of them again (it counts no duplicate
	 * beyond the webhooks posted again as Meta's retries).
	 */
	Reconciliation.Outcome stopService(String service) {
		Reconciliation.Outcome outcome = underLoad("SIGTERM " + service + " (graceful) and restart", () -> {
			Duration took = this.harness.services().stop(service, Duration.ofSeconds(60));
			Harness.log(service + " stopped (SIGTERM) in " + took.toMillis() + " ms");
			this.harness.services().start(service, Duration.ofSeconds(180));
			Harness.log(service + " restarted");
		});
		double redelivered;
		double processed;
		try {
			Services.Metrics metrics = this.harness.services().metrics(service);
			redelivered = metrics.counter("switchboard_events_consumed_total", "outcome=\"duplicate\"");
			processed = metrics.counter("switchboard_events_consumed_total", "outcome=\"processed\"");
		}
		catch (IOException ex) {
			return withProblems(outcome, List.of(service + "'s metrics could not be read: " + ex.getMessage()));
		}
		Harness.log(service + " after its restart: " + (long) processed + " events processed, " + (long) redelivered
				+ " duplicates, " + this.reposted + " webhooks posted again");
		if (processed == 0) {
			return withProblems(outcome,
					List.of(service + " processed nothing after its restart: the load did not reach it"));
		}
		// A webhook posted again (its first answer did not arrive in time) may have
		// reached
		// Kafka the first time: that duplicate is Meta's retry, not a redelivery.
		if (redelivered > this.reposted) {
			return withProblems(outcome,
					List.of(service + " counted " + (long) redelivered + " duplicates after its graceful stop but only "
							+ this.reposted + " webhooks were posted again: offsets were not committed"));
		}
		return outcome;
	}

	/** The broker stopped and started again during a load. */
	Reconciliation.Outcome brokerRestart() {
		return underLoad("Kafka broker stopped and restarted", () -> {
			this.harness.kafka().stop();
			Harness.log("Kafka broker stopped");
			Processes.sleep(3000);
			this.harness.kafka().start();
			Harness.log("Kafka broker started");
		});
	}

	/** PostgreSQL restarted during a load (needs a restartable server). */
	Reconciliation.Outcome postgresRestart() {
		return underLoad("PostgreSQL restarted", () -> {
			if (!this.harness.postgres().restart()) {
				throw new IOException("PostgreSQL did not restart");
			}
			Harness.log("PostgreSQL restarted");
		});
	}

	/**
	 * Every inbound webhook delivered three times (the copies shuffled), and agents'
	 * replies whose statuses arrive three times each in reverse order (read, delivered,
	 * sent) before the sandbox's own in-order ticks.
	 */
	Reconciliation.Outcome redeliveries() {
		String run = nextRun();
		List<Webhook> once = Webhook.messages(run, this.messages, Math.max(1, this.messages / 4));
		List<Webhook> thrice = new ArrayList<>(once);
		List<Webhook> copies = new ArrayList<>(once);
		copies.addAll(once);
		Collections.shuffle(copies, new Random(42));
		thrice.addAll(copies);
		record(this.load.run(thrice, this.rate, (i) -> {
		}));
		List<String> conversations = once.stream().map(Webhook::conversationId).distinct().limit(10).toList();
		List<String> replies = reply(conversations, "redelivery");
		List<Webhook> statuses = new ArrayList<>();
		for (String messageId : replies) {
			JsonNode message = awaitMessage(messageId, (m) -> !m.path("wamid").asString("").isEmpty());
			String wamid = message.path("wamid").asString();
			String waId = waIdOf(once, message.path("conversationId").asString());
			Instant now = Instant.now();
			for (int copy = 0; copy < 3; copy++) {
				statuses.add(Webhook.status(waId, wamid, "read", now.plusSeconds(2)));
				statuses.add(Webhook.status(waId, wamid, "delivered", now.plusSeconds(1)));
				statuses.add(Webhook.status(waId, wamid, "sent", now));
			}
		}
		this.load.run(statuses, this.rate, (i) -> {
		});
		List<String> problems = new ArrayList<>();
		for (String messageId : replies) {
			awaitMessage(messageId, (m) -> "READ".equals(m.path("status").asString()));
		}
		return reconcile("every webhook three times, statuses out of order", problems);
	}

	/** The Graph API answering 500s and rate-limit errors while agents reply. */
	Reconciliation.Outcome graphApiErrors() {
		String run = nextRun();
		List<Webhook> inbound = Webhook.messages(run, Math.max(20, this.messages / 5), 10);
		record(this.load.run(inbound, this.rate, (i) -> {
		}));
		WhatsAppSandbox sandbox = this.harness.sandbox();
		sandbox.failNext(500, 4);
		sandbox.failNext(429, 4);
		List<String> conversations = inbound.stream().map(Webhook::conversationId).distinct().toList();
		List<String> replies = reply(conversations, "graph-" + run);
		List<String> problems = new ArrayList<>();
		for (String messageId : replies) {
			awaitMessage(messageId, (m) -> "READ".equals(m.path("status").asString()));
		}
		Map<String, Integer> accepted = new HashMap<>();
		for (WhatsAppSandbox.Sent sent : sandbox.sent()) {
			if (sent.status() == 200 && sent.payload().contains("graph-" + run)) {
				accepted.merge(sent.payload(), 1, Integer::sum);
			}
		}
		if (accepted.size() != replies.size()) {
			problems.add((replies.size() - accepted.size()) + " replies never accepted by the Graph API");
		}
		accepted.forEach((payload, count) -> {
			if (count > 1) {
				problems.add("a reply was sent " + count + " times: " + payload);
			}
		});
		long faults = sandbox.sent().stream().filter((sent) -> sent.status() == 500 || sent.status() == 429).count();
		Harness.log("Graph API faults answered: " + faults);
		return reconcile("Graph API 500s and rate limits", problems);
	}

	/**
	 * Customers whose 24-hour window is already closing when their message arrives (sent
	 * 24 h minus {@code lead} ago), answered by nobody: whichever routing replica's timer
	 * finds each window, its closing, its escalation and, {@code lead} later, its expiry
	 * must each be announced exactly once (counted in the audit log, which records every
	 * routing event).
	 * @param customers how many such customers
	 * @param lead how long their windows have left when they write
	 * @return the outcome
	 */
	Reconciliation.Outcome windowTimers(int customers, Duration lead) {
		String run = nextRun();
		Instant sentAt = Instant.now().minus(Duration.ofHours(24)).plus(lead).truncatedTo(ChronoUnit.SECONDS);
		List<Webhook> webhooks = new ArrayList<>();
		for (int c = 0; c < customers; c++) {
			webhooks.add(Webhook.message(Webhook.waId(run, c), "wamid.%s-%d".formatted(run, c), sentAt,
					"Late message of customer " + c));
		}
		postUntilAcknowledged(webhooks);
		String conversations = webhooks.stream()
			.map((webhook) -> "'" + webhook.conversationId() + "'")
			.collect(Collectors.joining(",", "(", ")"));
		Postgres db = this.harness.postgres();
		String name = this.harness.database();
		String perConversation = "SELECT count(*) FROM (SELECT conversation_id FROM audit.audit_entry"
				+ " WHERE event_type = ? AND conversation_id IN " + conversations + " GROUP BY conversation_id"
				+ " HAVING count(*) %s) d";
		Instant deadline = Instant.now().plus(lead).plus(this.catchUp);
		while (db.number(name, perConversation.formatted(">= 1"), EventTypes.WINDOW_EXPIRED) < customers
				&& Instant.now().isBefore(deadline)) {
			Processes.sleep(1000);
		}
		// Time for a second firing, had any replica's timer fired again.
		Processes.sleep(5000);
		List<String> problems = new ArrayList<>();
		long closed = db.number(name, perConversation.formatted("= 1"), EventTypes.WINDOW_CLOSING);
		long expired = db.number(name, perConversation.formatted("= 1"), EventTypes.WINDOW_EXPIRED);
		long escalatedTwice = db.number(name, perConversation.formatted("> 1"), EventTypes.CONVERSATION_ESCALATED);
		long escalated = db.number(name, perConversation.formatted("= 1"), EventTypes.CONVERSATION_ESCALATED);
		long unanswered = db.number(name, "SELECT count(*) FROM audit.audit_entry WHERE event_type = ?"
				+ " AND conversation_id IN " + conversations + " AND payload->>'unanswered' = 'true'",
				EventTypes.WINDOW_CLOSING);
		Harness.log("window timers of " + customers + " customers: " + closed + " closed once, " + escalated
				+ " escalated once (" + unanswered + " closing unanswered), " + expired + " expired once");
		if (closed != customers) {
			problems.add((customers - closed) + " windows not announced closing exactly once");
		}
		if (expired != customers) {
			problems.add((customers - expired) + " windows not announced expired exactly once");
		}
		if (escalatedTwice > 0) {
			problems.add(escalatedTwice + " conversations escalated more than once");
		}
		if (escalated != unanswered || unanswered == 0) {
			problems.add(escalated + " conversations escalated once for " + unanswered + " closing unanswered");
		}
		return reconcile("window closing, escalation and expiry (" + customers + " windows)", problems);
	}

	/**
	 * A burst of replies posted at once through every gateway, so that every inbox
	 * replica queues and sends some, with the send cap set to {@code cap} per second: in
	 * any window of the sandbox's own receive times there are at most the bucket's burst
	 * ({@code cap}) plus what it refills in the window (and a second's worth for sends
	 * reaching the sandbox a little after their token), and the burst takes at least as
	 * long as the cap makes it. The burst must go in faster than even a cap per replica
	 * would send it, or the sandbox's times would show the posting, not the cap.
	 * @param burst how many replies
	 * @param cap the send cap the platform was started with (messages per second)
	 * @return the outcome
	 */
	Reconciliation.Outcome sendCap(int burst, int cap) {
		String run = nextRun();
		List<Webhook> inbound = Webhook.messages(run, 10, 10);
		postUntilAcknowledged(inbound);
		List<String> conversations = inbound.stream().map(Webhook::conversationId).distinct().toList();
		// One reply each first: every conversation is then stored with its window open.
		reply(conversations, "cap-ready-" + run);
		String marker = "cap-" + run;
		List<String> problems = Collections.synchronizedList(new ArrayList<>());
		List<GatewayClient> gateways = this.harness.gateways();
		long posting = System.nanoTime();
		try (ExecutorService posters = Executors.newFixedThreadPool(8)) {
			for (int i = 0; i < burst; i++) {
				GatewayClient gateway = gateways.get(i % gateways.size());
				String conversation = conversations.get(i % conversations.size());
				String body = "{\"type\":\"text\",\"text\":\"Burst %d %s\"}".formatted(i, marker);
				posters.execute(() -> {
					HttpResponse<String> sent = gateway.call(this.agentToken, "POST",
							"/api/v1/conversations/" + conversation + "/messages", this.deviceId, body);
					if (sent.statusCode() != 202) {
						problems.add("a reply of the burst was answered " + sent.statusCode() + ": " + sent.body());
					}
				});
			}
		}
		Duration posted = Duration.ofNanos(System.nanoTime() - posting);
		WhatsAppSandbox sandbox = this.harness.sandbox();
		Instant deadline = Instant.now().plus(this.catchUp);
		List<Instant> received;
		while (true) {
			received = sandbox.sent()
				.stream()
				.filter((sent) -> sent.status() == 200 && sent.payload().contains(marker))
				.map(WhatsAppSandbox.Sent::receivedAt)
				.sorted()
				.toList();
			if (received.size() >= burst - problems.size() || Instant.now().isAfter(deadline)) {
				break;
			}
			Processes.sleep(500);
		}
		if (received.size() != burst) {
			problems.add(received.size() + " of " + burst + " replies reached the Graph API once");
			return reconcile("send cap " + cap + "/s over every inbox replica", problems);
		}
		Duration took = Duration.between(received.getFirst(), received.getLast());
		long inOneSecond = mostWithin(received, Duration.ofSeconds(1));
		long inTwoSeconds = mostWithin(received, Duration.ofSeconds(2));
		Harness.log("send cap " + cap + "/s: " + burst + " replies posted in " + posted.toMillis()
				+ " ms reached the sandbox over " + took.toMillis() + " ms, at most " + inOneSecond + " within 1 s and "
				+ inTwoSeconds + " within 2 s");
		for (long seconds = 1; seconds <= 2; seconds++) {
			long most = (seconds == 1) ? inOneSecond : inTwoSeconds;
			// One second of slack for sends held between the bucket and the sandbox on a
			// loaded machine (as in the inbox's SendCapIT); a cap per replica breaks it
			// by far.
			long allowed = cap + (long) Math.floor(cap * (seconds + 1.0));
			if (most > allowed) {
				problems.add(most + " sends within " + seconds + " s, more than the " + allowed + " the cap allows");
			}
		}
		Duration shared = Duration.ofMillis((burst - cap) * 1000L / cap);
		if (posted.compareTo(shared.dividedBy(2)) >= 0) {
			problems.add("the burst was posted over " + posted.toMillis() + " ms, too slowly for the sandbox's times"
					+ " to tell a shared cap (" + shared.toMillis() + " ms) from one per replica");
		}
		Duration shortest = shared.minusMillis(500);
		if (took.compareTo(shortest) < 0) {
			problems.add("the burst took " + took.toMillis() + " ms, less than the cap allows (" + shortest.toMillis()
					+ " ms): each replica kept a cap of its own");
		}
		return reconcile("send cap " + cap + "/s over every inbox replica", problems);
	}

	/**
	 * The most instants within any window of the given length.
	 * @param sorted instants in order
	 * @param window the window's length
	 * @return the count
	 */
	static long mostWithin(List<Instant> sorted, Duration window) {
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

	/**
	 * Posts webhooks, and those not acknowledged again (as Meta retries), a few times.
	 */
	private void postUntilAcknowledged(List<Webhook> webhooks) {
		List<Webhook> pending = webhooks;
		for (int attempt = 0; attempt < 5 && !pending.isEmpty(); attempt++) {
			record(this.load.run(pending, this.rate, (i) -> {
			}));
			pending = pending.stream().filter((w) -> !this.acked.contains(w.wamid())).toList();
		}
	}

	Set<String> acked() {
		return this.acked;
	}

	private Reconciliation.Outcome underLoad(String name, Fault fault) {
		String run = nextRun();
		List<Webhook> webhooks = Webhook.messages(run, this.messages, Math.max(1, this.messages / 4));
		List<String> problems = Collections.synchronizedList(new ArrayList<>());
		Thread[] injector = new Thread[1];
		IntConsumer during = (i) -> {
			if (i == webhooks.size() / 3) {
				injector[0] = Thread.ofPlatform().name("fault").start(() -> {
					try {
						fault.inject();
					}
					catch (IOException | RuntimeException ex) {
						problems.add("the fault could not be injected or recovered: " + ex.getMessage());
					}
				});
			}
		};
		OpenLoad.Result result = this.load.run(webhooks, this.rate, during);
		record(result);
		if (injector[0] != null) {
			try {
				injector[0].join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		Harness.log(name + ": " + result.ok() + " of " + result.sent() + " acknowledged, answers " + result.statuses());
		// Meta retries what was not acknowledged; so does this suite, once the fault is
		// over.
		List<Webhook> retries = webhooks.stream().filter((w) -> !this.acked.contains(w.wamid())).toList();
		this.reposted = 0;
		if (!retries.isEmpty()) {
			for (int attempt = 0; attempt < 5 && !retries.isEmpty(); attempt++) {
				this.reposted += retries.size();
				record(this.load.run(retries, this.rate, (i) -> {
				}));
				retries = retries.stream().filter((w) -> !this.acked.contains(w.wamid())).toList();
				if (!retries.isEmpty()) {
					Processes.sleep(2000);
				}
			}
		}
		return reconcile(name, problems);
	}

	private Reconciliation.Outcome reconcile(String name, List<String> extra) {
		return withProblems(Reconciliation.check(this.harness, name, Set.copyOf(this.acked), this.tenant.ownerToken(),
				this.catchUp), extra);
	}

	private static Reconciliation.Outcome withProblems(Reconciliation.Outcome outcome, List<String> extra) {
		if (extra.isEmpty()) {
			return outcome;
		}
		List<String> problems = new ArrayList<>(outcome.problems());
		problems.addAll(extra);
		return new Reconciliation.Outcome(outcome.scenario(), outcome.acknowledged(), outcome.stored(), outcome.lost(),
				outcome.duplicateMessages(), outcome.notAudited(), outcome.duplicateAudit(), outcome.charges(),
				outcome.duplicateCharges(), outcome.windowsInconsistent(), outcome.assignmentsInconsistent(),
				outcome.auditValid(), List.copyOf(problems));
	}

	private void record(OpenLoad.Result result) {
		this.acked.addAll(result.ackedWamids());
	}

	private List<String> reply(List<String> conversations, String marker) {
		ensureDevice();
		List<GatewayClient> gateways = this.harness.gateways();
		List<String> ids = new ArrayList<>();
		int n = 0;
		for (String conversation : conversations) {
			// Replies take turns among the gateways, and so among the inbox replicas.
			GatewayClient gateway = gateways.get(n % gateways.size());
			String body = "{\"type\":\"text\",\"text\":\"Reply %d %s\"}".formatted(n++, marker);
			Instant deadline = Instant.now().plusSeconds(60);
			while (true) {
				HttpResponse<String> sent = gateway.call(this.agentToken, "POST",
						"/api/v1/conversations/" + conversation + "/messages", this.deviceId, body);
				if (sent.statusCode() == 202) {
					ids.add(GatewayClient.parse(sent.body()).path("id").asString());
					break;
				}
				if (Instant.now().isAfter(deadline)) {
					GatewayClient.require(sent, 202);
				}
				Processes.sleep(500);
			}
		}
		return ids;
	}

	private void ensureDevice() {
		if (this.deviceId == null) {
			this.agentToken = this.harness.gateway().token("agent-001");
			JsonNode device = this.harness.gateway()
				.json(this.tenant.ownerToken(), "POST", "/api/v1/devices",
						"{\"name\":\"Bench phone\",\"kind\":\"PHONE\",\"agentId\":\"agent-001\"}", 201);
			this.deviceId = device.path("id").asString();
		}
	}

	private JsonNode awaitMessage(String messageId, java.util.function.Predicate<JsonNode> condition) {
		Instant deadline = Instant.now().plus(this.catchUp);
		while (true) {
			HttpResponse<String> response = this.harness.gateway()
				.call(this.tenant.ownerToken(), "GET", "/api/v1/messages/" + messageId, null, null);
			if (response.statusCode() == 200) {
				JsonNode message = GatewayClient.parse(response.body());
				if (condition.test(message)) {
					return message;
				}
				if (Instant.now().isAfter(deadline)) {
					throw new IllegalStateException("Message " + messageId + " did not get there: " + message);
				}
			}
			else if (Instant.now().isAfter(deadline)) {
				GatewayClient.require(response, 200);
			}
			Processes.sleep(500);
		}
	}

	private static String waIdOf(List<Webhook> webhooks, String conversationId) {
		for (Webhook webhook : webhooks) {
			if (webhook.conversationId().equals(conversationId)) {
				JsonNode body = GatewayClient.parse(webhook.body());
				return body.path("entry")
					.get(0)
					.path("changes")
					.get(0)
					.path("value")
					.path("contacts")
					.get(0)
					.path("wa_id")
					.asString();
			}
		}
		throw new IllegalStateException("No customer for " + conversationId);
	}

	private String nextRun() {
		this.runs++;
		return "%02d%s".formatted(this.runs, Long.toString(System.currentTimeMillis() % 100_000));
	}

	@FunctionalInterface
	interface Fault {

		void inject() throws IOException;

	}

}

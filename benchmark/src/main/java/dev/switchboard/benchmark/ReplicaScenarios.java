package dev.switchboard.benchmark;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

import dev.switchboard.events.EventTypes;
import dev.switchboard.sandbox.WhatsAppSandbox;

/**
 * What must hold once per business number or per window however many replicas run: the
 * window timers fire once, and the Cloud API send cap is shared. Reconciled like the
 * fault scenarios, in the same session.
 */
final class ReplicaScenarios {

	private final ScenarioSession session;

	ReplicaScenarios(ScenarioSession session) {
		this.session = session;
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
		String run = this.session.nextRun();
		Instant sentAt = Instant.now().minus(Duration.ofHours(24)).plus(lead).truncatedTo(ChronoUnit.SECONDS);
		List<Webhook> webhooks = new ArrayList<>();
		for (int c = 0; c < customers; c++) {
			webhooks.add(Webhook.message(Webhook.waId(run, c), "wamid.%s-%d".formatted(run, c), sentAt,
					"Late message of customer " + c));
		}
		this.session.postUntilAcknowledged(webhooks);
		String conversations = webhooks.stream()
			.map((webhook) -> "'" + webhook.conversationId() + "'")
			.collect(Collectors.joining(",", "(", ")"));
		Postgres db = this.session.harness().postgres();
		String name = this.session.harness().database();
		String perConversation = "SELECT count(*) FROM (SELECT conversation_id FROM audit.audit_entry"
				+ " WHERE event_type = ? AND conversation_id IN " + conversations + " GROUP BY conversation_id"
				+ " HAVING count(*) %s) d";
		Instant deadline = Instant.now().plus(lead).plus(this.session.catchUp());
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
		return this.session.reconcile("window closing, escalation and expiry (" + customers + " windows)", problems);
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
		String run = this.session.nextRun();
		List<Webhook> inbound = Webhook.messages(run, 10, 10);
		this.session.postUntilAcknowledged(inbound);
		List<String> conversations = inbound.stream().map(Webhook::conversationId).distinct().toList();
		// One reply each first: every conversation is then stored with its window open.
		this.session.reply(conversations, "cap-ready-" + run);
		String marker = "cap-" + run;
		List<String> problems = Collections.synchronizedList(new ArrayList<>());
		List<GatewayClient> gateways = this.session.harness().gateways();
		long posting = System.nanoTime();
		try (ExecutorService posters = Executors.newFixedThreadPool(8)) {
			for (int i = 0; i < burst; i++) {
				GatewayClient gateway = gateways.get(i % gateways.size());
				String conversation = conversations.get(i % conversations.size());
				String body = "{\"type\":\"text\",\"text\":\"Burst %d %s\"}".formatted(i, marker);
				posters.execute(() -> {
					HttpResponse<String> sent = gateway.call(this.session.agentToken(), "POST",
							"/api/v1/conversations/" + conversation + "/messages", this.session.deviceId(), body);
					if (sent.statusCode() != 202) {
						problems.add("a reply of the burst was answered " + sent.statusCode() + ": " + sent.body());
					}
				});
			}
		}
		Duration posted = Duration.ofNanos(System.nanoTime() - posting);
		WhatsAppSandbox sandbox = this.session.harness().sandbox();
		Instant deadline = Instant.now().plus(this.session.catchUp());
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
			return this.session.reconcile("send cap " + cap + "/s over every inbox replica", problems);
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
		return this.session.reconcile("send cap " + cap + "/s over every inbox replica", problems);
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

}

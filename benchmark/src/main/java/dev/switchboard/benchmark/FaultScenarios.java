package dev.switchboard.benchmark;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntConsumer;

import tools.jackson.databind.JsonNode;

import dev.switchboard.sandbox.WhatsAppSandbox;

/**
 * The fault scenarios. Each posts a load of signed webhooks through the gateway while
 * something goes wrong, then reconciles everything acknowledged so far against what is
 * stored ({@link Reconciliation}).
 */
final class FaultScenarios {

	private final ScenarioSession session;

	private final Harness harness;

	private final int messages;

	/** Webhooks the last scenario under load posted again (as Meta retries). */
	private int reposted;

	/**
	 * @param session the run's session, shared with any other scenarios of the run
	 * @param messages how many customer messages each load posts
	 */
	FaultScenarios(ScenarioSession session, int messages) {
		this.session = session;
		this.harness = session.harness();
		this.messages = messages;
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
			return ScenarioSession.withProblems(outcome,
					List.of(service + "'s metrics could not be read: " + ex.getMessage()));
		}
		Harness.log(service + " after its restart: " + (long) processed + " events processed, " + (long) redelivered
				+ " duplicates, " + this.reposted + " webhooks posted again");
		if (processed == 0) {
			return ScenarioSession.withProblems(outcome,
					List.of(service + " processed nothing after its restart: the load did not reach it"));
		}
		// A webhook posted again (its first answer did not arrive in time) may have
		// reached
		// Kafka the first time: that duplicate is Meta's retry, not a redelivery.
		if (redelivered > this.reposted) {
			return ScenarioSession.withProblems(outcome,
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
		String run = this.session.nextRun();
		List<Webhook> once = Webhook.messages(run, this.messages, Math.max(1, this.messages / 4));
		List<Webhook> thrice = new ArrayList<>(once);
		List<Webhook> copies = new ArrayList<>(once);
		copies.addAll(once);
		Collections.shuffle(copies, new Random(42));
		thrice.addAll(copies);
		this.session.post(thrice, (i) -> {
		});
		List<String> conversations = once.stream().map(Webhook::conversationId).distinct().limit(10).toList();
		List<String> replies = this.session.reply(conversations, "redelivery");
		List<Webhook> statuses = new ArrayList<>();
		for (String messageId : replies) {
			JsonNode message = this.session.awaitMessage(messageId, (m) -> !m.path("wamid").asString("").isEmpty());
			String wamid = message.path("wamid").asString();
			String waId = waIdOf(once, message.path("conversationId").asString());
			Instant now = Instant.now();
			for (int copy = 0; copy < 3; copy++) {
				statuses.add(Webhook.status(waId, wamid, "read", now.plusSeconds(2)));
				statuses.add(Webhook.status(waId, wamid, "delivered", now.plusSeconds(1)));
				statuses.add(Webhook.status(waId, wamid, "sent", now));
			}
		}
		this.session.postStatuses(statuses);
		List<String> problems = new ArrayList<>();
		for (String messageId : replies) {
			this.session.awaitMessage(messageId, (m) -> "READ".equals(m.path("status").asString()));
		}
		return this.session.reconcile("every webhook three times, statuses out of order", problems);
	}

	/** The Graph API answering 500s and rate-limit errors while agents reply. */
	Reconciliation.Outcome graphApiErrors() {
		String run = this.session.nextRun();
		List<Webhook> inbound = Webhook.messages(run, Math.max(20, this.messages / 5), 10);
		this.session.post(inbound, (i) -> {
		});
		WhatsAppSandbox sandbox = this.harness.sandbox();
		sandbox.failNext(500, 4);
		sandbox.failNext(429, 4);
		List<String> conversations = inbound.stream().map(Webhook::conversationId).distinct().toList();
		List<String> replies = this.session.reply(conversations, "graph-" + run);
		List<String> problems = new ArrayList<>();
		for (String messageId : replies) {
			this.session.awaitMessage(messageId, (m) -> "READ".equals(m.path("status").asString()));
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
		return this.session.reconcile("Graph API 500s and rate limits", problems);
	}

	private Reconciliation.Outcome underLoad(String name, Fault fault) {
		String run = this.session.nextRun();
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
		OpenLoad.Result result = this.session.post(webhooks, during);
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
		List<Webhook> retries = webhooks.stream().filter((w) -> !this.session.acked().contains(w.wamid())).toList();
		this.reposted = 0;
		if (!retries.isEmpty()) {
			for (int attempt = 0; attempt < 5 && !retries.isEmpty(); attempt++) {
				this.reposted += retries.size();
				this.session.post(retries, (i) -> {
				});
				retries = retries.stream().filter((w) -> !this.session.acked().contains(w.wamid())).toList();
				if (!retries.isEmpty()) {
					Processes.sleep(2000);
				}
			}
		}
		return this.session.reconcile(name, problems);
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

	@FunctionalInterface
	interface Fault {

		void inject() throws IOException;

	}

}

package dev.switchboard.benchmark;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;
import java.util.function.Predicate;

import tools.jackson.databind.JsonNode;

/**
 * What the scenarios of one run share: the load generator, every inbound message the
 * gateways acknowledged so far (each reconciliation checks all of them), the run counter
 * that keeps their customers apart, and the agent's device that replies.
 */
final class ScenarioSession {

	private final Harness harness;

	private final Tenant tenant;

	private final double rate;

	private final Duration catchUp;

	private final Set<String> acked = ConcurrentHashMap.newKeySet();

	private final OpenLoad load;

	private int runs;

	private String deviceId;

	private String agentToken;

	/**
	 * @param rate the webhooks per second the load posts
	 * @param catchUp how long the platform may take to settle before a reconciliation
	 */
	ScenarioSession(Harness harness, Tenant tenant, double rate, Duration catchUp) {
		this.harness = harness;
		this.tenant = tenant;
		this.rate = rate;
		this.catchUp = catchUp;
		this.load = new OpenLoad(harness.gateways());
	}

	Harness harness() {
		return this.harness;
	}

	Duration catchUp() {
		return this.catchUp;
	}

	Set<String> acked() {
		return this.acked;
	}

	/**
	 * Posts webhooks at the session's rate through every gateway, noting which messages
	 * were acknowledged.
	 * @param during called with each webhook's index as it is posted
	 * @return what the gateways answered
	 */
	OpenLoad.Result post(List<Webhook> webhooks, IntConsumer during) {
		OpenLoad.Result result = this.load.run(webhooks, this.rate, during);
		this.acked.addAll(result.ackedWamids());
		return result;
	}

	/**
	 * Posts status webhooks, which acknowledge no inbound message.
	 */
	void postStatuses(List<Webhook> statuses) {
		this.load.run(statuses, this.rate, (i) -> {
		});
	}

	/**
	 * Posts webhooks, and those not acknowledged again (as Meta retries), a few times.
	 */
	void postUntilAcknowledged(List<Webhook> webhooks) {
		List<Webhook> pending = webhooks;
		for (int attempt = 0; attempt < 5 && !pending.isEmpty(); attempt++) {
			post(pending, (i) -> {
			});
			pending = pending.stream().filter((w) -> !this.acked.contains(w.wamid())).toList();
		}
	}

	/**
	 * Reconciles everything acknowledged so far against what is stored.
	 * @param name the scenario
	 * @param extra problems the scenario found itself
	 * @return the outcome
	 */
	Reconciliation.Outcome reconcile(String name, List<String> extra) {
		return withProblems(Reconciliation.check(this.harness, name, Set.copyOf(this.acked), this.tenant.ownerToken(),
				this.catchUp), extra);
	}

	static Reconciliation.Outcome withProblems(Reconciliation.Outcome outcome, List<String> extra) {
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

	/**
	 * The agent replies once to each conversation from the session's device, the replies
	 * taking turns among the gateways.
	 * @return the replies' message ids
	 */
	List<String> reply(List<String> conversations, String marker) {
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

	/**
	 * Waits, up to the catch-up time, until the message as the gateway shows it meets the
	 * condition.
	 * @return the message
	 */
	JsonNode awaitMessage(String messageId, Predicate<JsonNode> condition) {
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

	String agentToken() {
		ensureDevice();
		return this.agentToken;
	}

	String deviceId() {
		ensureDevice();
		return this.deviceId;
	}

	String nextRun() {
		this.runs++;
		return "%02d%s".formatted(this.runs, Long.toString(System.currentTimeMillis() % 100_000));
	}

}

package dev.switchboard.benchmark;

import java.util.ArrayList;
import java.util.List;

/**
 * Sets the demo tenant up through the gateway API so that every new conversation is
 * assigned: a default team, agents with a big capacity in it, each agent ONLINE.
 */
final class Tenant {

	private final GatewayClient gateway;

	private final String ownerToken;

	private final List<String> agents = new ArrayList<>();

	Tenant(GatewayClient gateway) {
		this.gateway = gateway;
		this.ownerToken = gateway.token("bench-owner");
	}

	String ownerToken() {
		return this.ownerToken;
	}

	List<String> agents() {
		return List.copyOf(this.agents);
	}

	/**
	 * Creates the default team and its agents.
	 * @param agentCount how many agents
	 * @param capacity each agent's capacity (at most 1000)
	 */
	void setUp(int agentCount, int capacity) {
		if (agentCount > Harness.MAX_AGENTS) {
			throw new IllegalArgumentException("The identity provider knows " + Harness.MAX_AGENTS + " agents");
		}
		this.gateway.json(this.ownerToken, "POST", "/api/v1/teams",
				"{\"teamId\":\"bench\",\"name\":\"Benchmark\",\"strategy\":\"LEAST_LOADED\",\"isDefault\":true}", 201);
		for (int i = 1; i <= agentCount; i++) {
			String agent = "agent-%03d".formatted(i);
			var update = this.gateway.call(this.ownerToken, "PUT", "/api/v1/agents/" + agent, null,
					"{\"displayName\":\"Agent %d\",\"capacity\":%d,\"skills\":[]}".formatted(i, capacity));
			if (update.statusCode() / 100 != 2) {
				GatewayClient.require(update, 200);
			}
			var member = this.gateway.call(this.ownerToken, "PUT", "/api/v1/teams/bench/members/" + agent, null, null);
			if (member.statusCode() / 100 != 2) {
				GatewayClient.require(member, 204);
			}
			String token = this.gateway.token(agent);
			var presence = this.gateway.call(token, "PUT", "/api/v1/agents/me/presence", null,
					"{\"presence\":\"ONLINE\"}");
			if (presence.statusCode() / 100 != 2) {
				GatewayClient.require(presence, 200);
			}
			this.agents.add(agent);
		}
	}

}

package dev.switchboard.routing;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.springframework.test.web.reactive.server.WebTestClient;

import dev.switchboard.testsupport.TestIdentity;

/** Drives routing's API as the gateway would, with its internal identity token. */
final class Routing {

	private final Supplier<WebTestClient> http;

	Routing(Supplier<WebTestClient> http) {
		this.http = http;
	}

	WebTestClient as(String tenant, String subject, String roles) {
		return this.http.get().mutate().filter(TestIdentity.bearer("routing-service", tenant, subject, roles)).build();
	}

	void team(String tenant, String team, String strategy, boolean isDefault) {
		as(tenant, "boss", "ADMIN").post()
			.uri("/api/v1/teams")
			.bodyValue(Map.of("teamId", team, "name", team, "strategy", strategy, "isDefault", isDefault))
			.exchange()
			.expectStatus()
			.isCreated();
	}

	void agent(String tenant, String agent, int capacity, String team) {
		as(tenant, "boss", "ADMIN").put()
			.uri("/api/v1/agents/{id}", agent)
			.bodyValue(Map.of("displayName", agent, "capacity", capacity, "skills", List.of()))
			.exchange()
			.expectStatus()
			.isOk();
		as(tenant, "boss", "ADMIN").put()
			.uri("/api/v1/teams/{team}/members/{agent}", team, agent)
			.exchange()
			.expectStatus()
			.isOk();
	}

	void presence(String tenant, String agent, String presence) {
		as(tenant, agent, "AGENT").put()
			.uri("/api/v1/agents/me/presence")
			.bodyValue(Map.of("presence", presence))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.presence")
			.isEqualTo(presence);
	}

	List<String> queue(String tenant) {
		return all(tenant, "/api/v1/routing/queue", 2).stream().map((q) -> (String) q.get("conversationId")).toList();
	}

	/**
	 * Every item of a paged list, following {@code nextCursor} page by page.
	 * @param tenant the tenant
	 * @param path the list
	 * @param limit the page size
	 * @return the items in order
	 */
	@SuppressWarnings("unchecked")
	List<Map<String, Object>> all(String tenant, String path, int limit) {
		List<Map<String, Object>> items = new java.util.ArrayList<>();
		String cursor = null;
		do {
			String next = cursor;
			Map<String, Object> page = as(tenant, "boss", "ADMIN").get().uri((uri) -> {
				uri.path(path).queryParam("limit", limit);
				if (next != null) {
					uri.queryParam("cursor", next);
				}
				return uri.build();
			})
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody(new org.springframework.core.ParameterizedTypeReference<Map<String, Object>>() {
				})
				.returnResult()
				.getResponseBody();
			if (page == null) {
				break;
			}
			items.addAll((List<Map<String, Object>>) page.get("items"));
			cursor = (String) page.get("nextCursor");
		}
		while (cursor != null);
		return items;
	}

}

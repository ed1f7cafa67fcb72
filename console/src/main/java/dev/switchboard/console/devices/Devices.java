package dev.switchboard.console.devices;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import dev.switchboard.console.api.ApiClient;

/** The devices API (audit service) as the console calls it with the user's token. */
@Component
class Devices {

	/**
	 * The most devices a page shows (the audit service's largest page): revoked ones are
	 * listed too.
	 */
	static final int PAGE = 100;

	private final ApiClient api;

	Devices(ApiClient api) {
		this.api = api;
	}

	Mono<Page<Device>> list(@Nullable String cursor) {
		return this.api.get((uri) -> uri.path("/api/v1/devices")
			.queryParam("limit", PAGE)
			.queryParamIfPresent("cursor", java.util.Optional.ofNullable(cursor))
			.build(), new ParameterizedTypeReference<Page<Device>>() {
			});
	}

	Mono<Limits> limits() {
		return this.api.get((uri) -> uri.path("/api/v1/devices/limits").build(),
				new ParameterizedTypeReference<Limits>() {
				});
	}

	Mono<List<Agent>> agents() {
		return this.api.get((uri) -> uri.path("/api/v1/agents").queryParam("limit", 200).build(),
				new ParameterizedTypeReference<Page<Agent>>() {
				})
			.map(Page::items);
	}

	Mono<Device> register(String name, String kind, String agentId) {
		return this.api.call(HttpMethod.POST, (uri) -> uri.path("/api/v1/devices").build(),
				Map.of("name", name, "kind", kind, "agentId", agentId), new ParameterizedTypeReference<Device>() {
				});
	}

	Mono<Device> rename(String id, String name) {
		return this.api.call(HttpMethod.PATCH, (uri) -> uri.path("/api/v1/devices/{id}").build(id),
				Map.of("name", name), new ParameterizedTypeReference<Device>() {
				});
	}

	Mono<Device> revoke(String id) {
		return this.api.call(HttpMethod.POST, (uri) -> uri.path("/api/v1/devices/{id}/revoke").build(id), null,
				new ParameterizedTypeReference<Device>() {
				});
	}

	/**
	 * A page of the API.
	 *
	 * @param <T> the items' type
	 * @param items the items
	 * @param nextCursor the next page's cursor
	 */
	record Page<T>(List<T> items, @Nullable String nextCursor) {

	}

	/**
	 * A device as the API shows it.
	 *
	 * @param id its id
	 * @param agentId the agent using it
	 * @param name its name
	 * @param kind PHONE, TABLET, DESKTOP or WEB
	 * @param state ACTIVE, SUSPENDED or REVOKED
	 * @param registeredAt when it was registered
	 */
	record Device(String id, String agentId, String name, String kind, String state, Instant registeredAt) {

		public boolean revoked() {
			return "REVOKED".equals(this.state);
		}

	}

	/**
	 * The plan's limits as the audit service applies them.
	 *
	 * @param plan the plan
	 * @param maxDevices devices it links
	 * @param maxPhones phones among them
	 * @param devices devices not revoked
	 * @param phones phones not revoked
	 */
	record Limits(String plan, int maxDevices, int maxPhones, long devices, long phones) {

	}

	/**
	 * An agent a device can be registered to.
	 *
	 * @param agentId the agent's subject
	 * @param displayName the agent's name
	 */
	record Agent(String agentId, String displayName) {

	}

}

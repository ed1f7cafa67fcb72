package dev.switchboard.console.health;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.switchboard.console.api.ApiClient;

/**
 * The platform SRE's page: the gateway's health and a few of its metrics, read from its
 * management port with the SRE's token (the gateway refuses anyone else), and links to
 * the Grafana dashboards.
 */
@Controller
class HealthController {

	private final ApiClient api;

	private final SreProperties properties;

	HealthController(ApiClient api, SreProperties properties) {
		this.api = api;
		this.properties = properties;
	}

	@GetMapping("/console/health")
	Mono<String> page(Model model) {
		// A management port this console cannot reach (a NetworkPolicy) is a state to
		// show,
		// not an error page; the gateway's refusal of a non-SRE still is one.
		Mono<Map<String, Object>> health = this.api
			.get((uri) -> management("/actuator/health"), new ParameterizedTypeReference<Map<String, Object>>() {
			})
			.onErrorResume(WebClientRequestException.class, (ex) -> Mono.just(Map.of("status", "UNREACHABLE")));
		Mono<GatewayMetrics> metrics = this.api
			.stream((uri) -> management("/actuator/prometheus"), MediaType.TEXT_PLAIN)
			.flatMap(
					(response) -> DataBufferUtils.join((response.getBody() != null) ? response.getBody() : Flux.empty())
						.map((buffer) -> {
							try {
								return buffer.toString(StandardCharsets.UTF_8);
							}
							finally {
								DataBufferUtils.release(buffer);
							}
						}))
			.map(GatewayMetrics::parse)
			.onErrorResume(WebClientRequestException.class, (ex) -> Mono.just(new GatewayMetrics(0, Map.of())));
		return Mono.zip(health, metrics).map((both) -> {
			model.addAttribute("status", String.valueOf(both.getT1().getOrDefault("status", "UNKNOWN")));
			model.addAttribute("metrics", both.getT2());
			model.addAttribute("dashboards",
					this.properties.dashboards()
						.stream()
						.map((dashboard) -> new Link(dashboard.title(), this.properties.link(dashboard)))
						.toList());
			return "health/health";
		});
	}

	private URI management(String path) {
		return UriComponentsBuilder.fromUri(this.properties.gatewayManagementUri()).path(path).build().toUri();
	}

	/**
	 * A link to a dashboard.
	 *
	 * @param title what it says
	 * @param href where it goes
	 */
	record Link(String title, String href) {

	}

}

package dev.switchboard.console.presence;

import java.util.Locale;
import java.util.Map;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

import dev.switchboard.console.api.ApiClient;
import dev.switchboard.console.api.ApiProblem;

/**
 * The header's presence switch: reads the agent's presence from routing and sets it
 * ({@code PUT /api/v1/agents/me/presence}); routing assigns only to online agents.
 */
@Controller
class PresenceController {

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	private final ApiClient api;

	PresenceController(ApiClient api) {
		this.api = api;
	}

	@GetMapping("/console/presence")
	String presence(@AuthenticationPrincipal OidcUser principal, Model model) {
		Mono<String> presence = this.api
			.get((uri) -> uri.path("/api/v1/agents/{agent}").build(principal.getSubject()), JSON)
			.map((agent) -> String.valueOf(agent.getOrDefault("presence", "OFFLINE")))
			// An agent routing has not met yet is offline.
			.onErrorResume(ApiProblem.class,
					(problem) -> (problem.status() == 404) ? Mono.just("OFFLINE") : Mono.error(problem));
		model.addAttribute("presence", presence);
		return "fragments/presence :: presence";
	}

	@PostMapping("/console/presence")
	Mono<String> change(@ModelAttribute PresenceForm form, Model model) {
		String wanted = String.valueOf(form.presence()).toUpperCase(Locale.ROOT);
		if (!wanted.matches("ONLINE|AWAY|OFFLINE")) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "presence must be ONLINE, AWAY or OFFLINE");
		}
		return this.api
			.call(HttpMethod.PUT, (uri) -> uri.path("/api/v1/agents/me/presence").build(), Map.of("presence", wanted),
					JSON)
			.map((agent) -> String.valueOf(agent.getOrDefault("presence", wanted)))
			.defaultIfEmpty(wanted)
			.map((now) -> {
				model.addAttribute("presence", now);
				return "fragments/presence :: presence";
			});
	}

	/**
	 * The presence switch's form.
	 *
	 * @param presence {@code ONLINE}, {@code AWAY} or {@code OFFLINE}
	 */
	record PresenceForm(@Nullable String presence) {

	}

}

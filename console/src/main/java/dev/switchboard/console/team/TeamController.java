package dev.switchboard.console.team;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import reactor.core.publisher.Mono;

import dev.switchboard.console.api.ApiClient;

/**
 * The team page of owners and admins (routing service): teams and their members, agents
 * with presence and load, routing rules in the order they are tried, and the
 * service-level report of the last days. Rules can be added and deleted here.
 */
@Controller
class TeamController {

	private static final int DEFAULT_DAYS = 7;

	private final ApiClient api;

	private final Clock clock = Clock.systemUTC();

	TeamController(ApiClient api) {
		this.api = api;
	}

	@GetMapping("/console/team")
	Mono<String> page(@RequestParam(defaultValue = "" + DEFAULT_DAYS) int days, Model model) {
		int period = Math.clamp(days, 1, 366);
		Instant to = this.clock.instant().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
		Instant from = to.minus(Duration.ofDays(period));
		Mono<List<Team>> teams = this.api.get((uri) -> uri.path("/api/v1/teams").queryParam("limit", 200).build(),
				new ParameterizedTypeReference<Page<Team>>() {
				})
			.map(Page::items);
		Mono<List<Agent>> agents = this.api.get((uri) -> uri.path("/api/v1/agents").queryParam("limit", 200).build(),
				new ParameterizedTypeReference<Page<Agent>>() {
				})
			.map(Page::items);
		Mono<List<Rule>> rules = this.api
			.get((uri) -> uri.path("/api/v1/routing/rules").queryParam("limit", 200).build(),
					new ParameterizedTypeReference<Page<Rule>>() {
					})
			.map(Page::items);
		Mono<ServiceLevels> levels = this.api.get((uri) -> uri.path("/api/v1/reports/service-levels")
			.queryParam("from", from.toString())
			.queryParam("to", to.toString())
			.build(), new ParameterizedTypeReference<ServiceLevels>() {
			});
		return Mono.zip(teams, agents, rules, levels).map((all) -> {
			model.addAttribute("teams", all.getT1());
			model.addAttribute("agents", all.getT2());
			model.addAttribute("rules", all.getT3());
			model.addAttribute("levels", all.getT4());
			model.addAttribute("days", period);
			model.addAttribute("ruleKinds", List.of("KEYWORD", "LABEL", "CONTACT"));
			return "team/team";
		});
	}

	@PostMapping("/console/team/rules")
	Mono<String> addRule(@ModelAttribute NewRule rule) {
		Map<String, Object> body = Map.of("priority", (rule.priority() != null) ? rule.priority() : -1, "kind",
				text(rule.kind()), "match", text(rule.match()), "teamId", text(rule.teamId()));
		return this.api.call(HttpMethod.POST, (uri) -> uri.path("/api/v1/routing/rules").build(), body,
				new ParameterizedTypeReference<Map<String, Object>>() {
				})
			.thenReturn("redirect:/console/team");
	}

	@PostMapping("/console/team/rules/{ruleId}/delete")
	Mono<String> deleteRule(@PathVariable String ruleId) {
		return this.api.call(HttpMethod.DELETE, (uri) -> uri.path("/api/v1/routing/rules/{id}").build(ruleId), null,
				new ParameterizedTypeReference<Map<String, Object>>() {
				})
			.thenReturn("redirect:/console/team");
	}

	private static String text(@Nullable String value) {
		return (value != null) ? value.strip() : "";
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
	 * A team.
	 *
	 * @param teamId its id
	 * @param name its name
	 * @param strategy ROUND_ROBIN or LEAST_LOADED
	 * @param isDefault whether unmatched conversations go to it
	 * @param members its agents
	 */
	record Team(String teamId, String name, String strategy, boolean isDefault, List<String> members) {

	}

	/**
	 * An agent.
	 *
	 * @param agentId the agent's subject
	 * @param displayName the name colleagues see
	 * @param presence ONLINE, AWAY or OFFLINE
	 * @param capacity the most open conversations
	 * @param skills labels or languages
	 * @param openConversations assigned now
	 */
	record Agent(String agentId, String displayName, String presence, int capacity, List<String> skills,
			int openConversations) {

	}

	/**
	 * A routing rule.
	 *
	 * @param ruleId its id
	 * @param priority lower first
	 * @param kind KEYWORD, LABEL or CONTACT
	 * @param match what it matches
	 * @param teamId where matching conversations go
	 */
	record Rule(String ruleId, int priority, String kind, String match, String teamId) {

	}

	/**
	 * The service-level report.
	 *
	 * @param from the period's start
	 * @param to its end
	 * @param teams a line per team
	 * @param agents a line per agent and team
	 */
	record ServiceLevels(Instant from, Instant to, List<Line> teams, List<Line> agents) {

	}

	/**
	 * Service levels of a team or an agent.
	 *
	 * @param teamId the team
	 * @param agentId the agent, null on a team line
	 * @param responses replies to waiting customers
	 * @param withinWindow of those, inside the 24-hour window
	 * @param withinWindowRatio their share
	 * @param averageFirstResponseSeconds average first response
	 * @param medianFirstResponseSeconds median first response
	 * @param windowExpiries windows that expired
	 * @param unansweredExpiries of those, unanswered
	 */
	record Line(String teamId, @Nullable String agentId, long responses, long withinWindow,
			@Nullable BigDecimal withinWindowRatio, @Nullable Long averageFirstResponseSeconds,
			@Nullable Long medianFirstResponseSeconds, long windowExpiries, long unansweredExpiries) {

		/** The share within the window as a percentage, or a dash. */
		public String withinWindowPercent() {
			return (this.withinWindowRatio != null)
					? this.withinWindowRatio.movePointRight(2).stripTrailingZeros().toPlainString() + " %" : "–";
		}

	}

	/**
	 * The add-rule form.
	 *
	 * @param priority lower first
	 * @param kind what it matches
	 * @param match the keyword, label or WhatsApp id
	 * @param teamId the team
	 */
	record NewRule(@Nullable Integer priority, @Nullable String kind, @Nullable String match, @Nullable String teamId) {

	}

}

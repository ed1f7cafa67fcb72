package dev.switchboard.console.home;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

import dev.switchboard.console.config.ConsoleProperties;
import dev.switchboard.console.signin.ConsoleUser;

/**
 * Where a signed-in user lands: agents in their inbox, everyone else on the home page.
 */
@Controller
class HomeController {

	private final ConsoleProperties properties;

	HomeController(ConsoleProperties properties) {
		this.properties = properties;
	}

	@GetMapping("/")
	String root() {
		return "redirect:/console";
	}

	@GetMapping("/console")
	String home(@AuthenticationPrincipal OidcUser principal) {
		ConsoleUser user = ConsoleUser.of(principal, this.properties.oidc());
		return user.isAgent() ? "redirect:/console/inbox" : "home";
	}

	@GetMapping("/console/signed-out")
	String signedOut() {
		return "signed-out";
	}

}

package dev.switchboard.console.navigation;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import reactor.core.publisher.Mono;

import dev.switchboard.console.config.ConsoleProperties;
import dev.switchboard.console.signin.ConsoleUser;

/**
 * Gives every page's navigation the signed-in user's {@link Areas} (none when signed
 * out).
 */
@ControllerAdvice
class AreasAdvice {

	private final ConsoleProperties properties;

	AreasAdvice(ConsoleProperties properties) {
		this.properties = properties;
	}

	@ModelAttribute("areas")
	Mono<Areas> areas() {
		return ReactiveSecurityContextHolder.getContext()
			.mapNotNull(SecurityContext::getAuthentication)
			.map(Authentication::getPrincipal)
			.ofType(OidcUser.class)
			.map((oidc) -> Areas.of(ConsoleUser.of(oidc, this.properties.oidc())));
	}

}

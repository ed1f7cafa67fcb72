package dev.switchboard.console.language;

import java.net.URI;
import java.util.Locale;

import org.springframework.context.i18n.SimpleLocaleContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PostMapping;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;

/** The language switch: remembers the choice in a cookie and goes back to the page. */
@Controller
class LanguageController {

	private final Languages languages;

	LanguageController(Languages languages) {
		this.languages = languages;
	}

	@PostMapping("/console/locale")
	ResponseEntity<Void> choose(@ModelAttribute Choice choice, ServerWebExchange exchange) {
		Locale locale = Languages.supported(choice.language());
		if (locale == null) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "language must be one of " + Languages.SUPPORTED);
		}
		this.languages.setLocaleContext(exchange, new SimpleLocaleContext(locale));
		// Only a path of this console: the parameter cannot send the user elsewhere.
		String back = choice.back();
		String path = (back != null && back.startsWith("/") && !back.startsWith("//")) ? back : "/console";
		return ResponseEntity.status(HttpStatus.SEE_OTHER).location(URI.create(path)).build();
	}

	/**
	 * The switch's form.
	 *
	 * @param language the language's tag
	 * @param back the page to return to
	 */
	record Choice(@Nullable String language, @Nullable String back) {

	}

}

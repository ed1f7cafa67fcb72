package dev.switchboard.console.language;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;
import org.springframework.context.i18n.LocaleContext;
import org.springframework.context.i18n.SimpleLocaleContext;
import org.springframework.http.HttpCookie;
import org.springframework.http.ResponseCookie;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.i18n.AcceptHeaderLocaleContextResolver;
import org.springframework.web.server.i18n.LocaleContextResolver;

/**
 * The language of a request: the one chosen with the switch (a cookie), else the
 * browser's best supported {@code Accept-Language}, else English. Registered under the
 * name WebFlux looks for.
 */
@Component("localeContextResolver")
public class Languages implements LocaleContextResolver {

	/** The languages every message bundle has. */
	public static final List<Locale> SUPPORTED = List.of(Locale.ENGLISH, Locale.ITALIAN, Locale.forLanguageTag("es"),
			Locale.forLanguageTag("hu"));

	static final String COOKIE = "console-language";

	private final AcceptHeaderLocaleContextResolver browser = new AcceptHeaderLocaleContextResolver();

	public Languages() {
		this.browser.setSupportedLocales(SUPPORTED);
		this.browser.setDefaultLocale(Locale.ENGLISH);
	}

	@Override
	public LocaleContext resolveLocaleContext(ServerWebExchange exchange) {
		HttpCookie chosen = exchange.getRequest().getCookies().getFirst(COOKIE);
		Locale locale = (chosen != null) ? supported(chosen.getValue()) : null;
		return (locale != null) ? new SimpleLocaleContext(locale) : this.browser.resolveLocaleContext(exchange);
	}

	@Override
	public void setLocaleContext(ServerWebExchange exchange, @Nullable LocaleContext localeContext) {
		Locale locale = (localeContext != null) ? localeContext.getLocale() : null;
		if (locale == null) {
			exchange.getResponse().addCookie(ResponseCookie.from(COOKIE, "").path("/").maxAge(0).build());
			return;
		}
		exchange.getResponse()
			.addCookie(ResponseCookie.from(COOKIE, locale.getLanguage())
				.path("/")
				.httpOnly(true)
				.sameSite("Lax")
				.maxAge(Duration.ofDays(365))
				.build());
	}

	/**
	 * A supported language by its tag.
	 * @param tag e.g. {@code it}
	 * @return the language, or null when the console does not speak it
	 */
	public static @Nullable Locale supported(@Nullable String tag) {
		if (tag == null) {
			return null;
		}
		return SUPPORTED.stream().filter((locale) -> locale.getLanguage().equals(tag)).findFirst().orElse(null);
	}

}

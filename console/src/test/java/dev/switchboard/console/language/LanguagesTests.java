package dev.switchboard.console.language;

import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpCookie;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

class LanguagesTests {

	private final Languages languages = new Languages();

	@Test
	void whenTheBrowserPrefersHungarianThenThePagesAreHungarian() {
		assertThat(locale(MockServerHttpRequest.get("/console").header("Accept-Language", "hu-HU,hu;q=0.9,en;q=0.5")))
			.isEqualTo(Locale.forLanguageTag("hu"));
	}

	@Test
	void whenTheBrowserPrefersAnUnsupportedLanguageThenThePagesAreEnglish() {
		assertThat(locale(MockServerHttpRequest.get("/console").header("Accept-Language", "de-DE")))
			.isEqualTo(Locale.ENGLISH);
	}

	@Test
	void whenTheUserChoseALanguageThenTheChoiceWinsOverTheBrowser() {
		assertThat(locale(MockServerHttpRequest.get("/console")
			.header("Accept-Language", "es")
			.cookie(new HttpCookie(Languages.COOKIE, "it")))).isEqualTo(Locale.ITALIAN);
		assertThat(locale(MockServerHttpRequest.get("/console")
			.header("Accept-Language", "es")
			.cookie(new HttpCookie(Languages.COOKIE, "xx")))).isEqualTo(Locale.forLanguageTag("es"));
	}

	private Locale locale(MockServerHttpRequest.BaseBuilder<?> request) {
		return this.languages.resolveLocaleContext(MockServerWebExchange.from(request)).getLocale();
	}

}

package dev.switchboard.console.signin;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.reactive.server.SecurityMockServerConfigurers.csrf;
import static org.springframework.security.test.web.reactive.server.SecurityMockServerConfigurers.mockOidcLogin;

/**
 * The console's own filter chain, on the whole application without a provider or a
 * broker: security headers, the session cookie's flags, sign-in for pages and for htmx
 * fragments, and CSRF.
 */
@SpringBootTest(properties = { "switchboard.console.oidc.issuer-uri=http://127.0.0.1:1",
		"switchboard.console.public-uri=", "spring.kafka.listener.auto-startup=false" })
@AutoConfigureWebTestClient
class ConsoleSecurityTests {

	@Autowired
	WebTestClient web;

	@Test
	void whenAPageIsServedThenItCarriesAStrictContentSecurityPolicy() {
		this.web.get()
			.uri("/console/signed-out")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("Content-Security-Policy", SecurityConfiguration.CONTENT_SECURITY_POLICY)
			.expectHeader()
			.valueEquals("X-Frame-Options", "DENY")
			.expectHeader()
			.valueEquals("X-Content-Type-Options", "nosniff");
		assertThat(SecurityConfiguration.CONTENT_SECURITY_POLICY).contains("script-src 'self';")
			.contains("style-src 'self';")
			.doesNotContain("unsafe-inline")
			.doesNotContain("unsafe-eval");
	}

	@Test
	void whenAnAnonymousBrowserOpensAPageThenItSignsInWithAnHttpOnlySameSiteSessionCookie() {
		List<String> cookies = this.web.get()
			.uri("/console/inbox?view=all")
			.accept(MediaType.TEXT_HTML)
			.exchange()
			.expectStatus()
			.isFound()
			.expectHeader()
			.location("/oauth2/authorization/switchboard")
			.returnResult(Void.class)
			.getResponseHeaders()
			.get(HttpHeaders.SET_COOKIE);
		assertThat(cookies)
			.anySatisfy((cookie) -> assertThat(cookie).startsWith(SecurityConfiguration.SESSION_COOKIE + "=")
				.contains("HttpOnly")
				.contains("SameSite=Lax")
				.doesNotContain("Secure"));
	}

	@Test
	void whenAnHtmxRequestHasNoSessionThenTheBrowserIsToldToSignIn() {
		this.web.get()
			.uri("/console/inbox/list?view=mine")
			.header(SignInAgain.HX_REQUEST, "true")
			.header(SignInAgain.HX_CURRENT_URL, "http://elsewhere.example/console/conversations/1?view=all")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.valueEquals(SignInAgain.HX_REDIRECT, "/oauth2/authorization/switchboard");
	}

	@Test
	void whenAFormIsPostedWithoutTheCsrfTokenThenItIsRefused() {
		this.web.mutateWith(mockOidcLogin())
			.post()
			.uri("/console/locale")
			.body(BodyInserters.fromFormData("language", "it"))
			.exchange()
			.expectStatus()
			.isForbidden();
		this.web.mutateWith(mockOidcLogin())
			.mutateWith(csrf())
			.post()
			.uri("/console/locale")
			.body(BodyInserters.fromFormData("language", "it").with("back", "/console/inbox"))
			.exchange()
			.expectStatus()
			.isSeeOther()
			.expectHeader()
			.location("/console/inbox")
			.expectCookie()
			.valueEquals("console-language", "it");
	}

	@Test
	void whenAnHtmxPostArrivesAfterTheSessionIsGoneThenTheBrowserIsToldToSignInNotRefused() {
		this.web.post()
			.uri("/console/conversations/00000000-0000-0000-0000-000000000001/status")
			.header(SignInAgain.HX_REQUEST, "true")
			.header(SignInAgain.HX_CURRENT_URL,
					"http://127.0.0.1:8080/console/conversations/00000000-0000-0000-0000-000000000001")
			.body(BodyInserters.fromFormData("status", "RESOLVED"))
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.valueEquals(SignInAgain.HX_REDIRECT, "/oauth2/authorization/switchboard");
	}

	@Test
	void whenTheLanguageSwitchNamesAnotherSiteThenItStaysOnTheConsole() {
		this.web.mutateWith(csrf())
			.post()
			.uri("/console/locale")
			.body(BodyInserters.fromFormData("language", "hu").with("back", "//elsewhere.example/x"))
			.exchange()
			.expectStatus()
			.isSeeOther()
			.expectHeader()
			.location("/console");
	}

}

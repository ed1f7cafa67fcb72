package dev.switchboard.console.signin;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseCookie;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.client.AuthorizationCodeReactiveOAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.DelegatingReactiveOAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.RefreshTokenReactiveOAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.registration.ReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.DefaultReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.web.server.ServerOAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.client.web.server.WebSessionServerOAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authorization.HttpStatusServerAccessDeniedHandler;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationFailureHandler;
import org.springframework.security.web.server.authentication.logout.RedirectServerLogoutSuccessHandler;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter;
import org.springframework.security.web.server.header.XFrameOptionsServerHttpHeadersWriter;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.session.CookieWebSessionIdResolver;
import org.springframework.web.server.session.DefaultWebSessionManager;
import org.springframework.web.server.session.InMemoryWebSessionStore;
import org.springframework.web.server.session.WebSessionManager;

import dev.switchboard.console.config.ConsoleProperties;

/**
 * The console's one filter chain. Every page needs a signed-in user (OpenID Connect,
 * authorization code with PKCE); the access and refresh tokens stay in the server-side
 * session and never reach the browser, whose only credential is an HttpOnly, SameSite
 * session cookie. Forms and htmx requests carry the session's CSRF token. A strict
 * Content-Security-Policy allows only the console's own scripts and styles.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
class SecurityConfiguration {

	/** Scripts and styles from the console only, no inline code, no framing. */
	static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
			+ "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
			+ "base-uri 'none'; object-src 'none'";

	static final String SESSION_COOKIE = "SWITCHBOARD_CONSOLE";

	private static final ServerAccessDeniedHandler FORBIDDEN = new HttpStatusServerAccessDeniedHandler(
			HttpStatus.FORBIDDEN);

	@Bean
	SecurityWebFilterChain consoleSecurity(ServerHttpSecurity http, ReactiveClientRegistrationRepository registrations,
			ServerOAuth2AuthorizedClientRepository authorizedClients, SignInAgain signInAgain) {
		return http
			.authorizeExchange((exchanges) -> exchanges
				.pathMatchers("/console/assets/**", "/console/webjars/**", "/console/signed-out", "/favicon.ico")
				.permitAll()
				.pathMatchers(HttpMethod.POST, "/console/locale")
				.permitAll()
				// The actuator listens on the management port only, which the
				// gateway does not route: probes and Prometheus inside the network.
				.pathMatchers("/actuator/health", "/actuator/health/**", "/actuator/info", "/actuator/prometheus")
				.permitAll()
				.anyExchange()
				.authenticated())
			.oauth2Login((login) -> login.clientRegistrationRepository(registrations)
				.authorizedClientRepository(authorizedClients)
				// Not Spring Security's own /login page: the gateway routes no such path.
				.authenticationFailureHandler(
						new RedirectServerAuthenticationFailureHandler("/console/signed-out?error")))
			.exceptionHandling(
					(handling) -> handling.authenticationEntryPoint((exchange, ex) -> signInAgain.start(exchange)))
			// A form or htmx post whose session is gone has no CSRF token to match: the
			// user
			// signs in again (and returns to the page) rather than meeting a bare 403.
			.csrf((csrf) -> csrf.accessDeniedHandler((exchange, denied) -> ReactiveSecurityContextHolder.getContext()
				.mapNotNull(SecurityContext::getAuthentication)
				.map(Authentication::getPrincipal)
				.ofType(OAuth2AuthenticatedPrincipal.class)
				.hasElement()
				.flatMap((signedIn) -> signedIn ? FORBIDDEN.handle(exchange, denied) : signInAgain.start(exchange))))
			.logout((logout) -> logout.logoutSuccessHandler(redirectTo("/console/signed-out")))
			.headers((headers) -> headers.contentSecurityPolicy((csp) -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
				.frameOptions((frames) -> frames.mode(XFrameOptionsServerHttpHeadersWriter.Mode.DENY))
				.referrerPolicy((referrer) -> referrer
					.policy(ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy.SAME_ORIGIN)))
			.build();
	}

	private static RedirectServerLogoutSuccessHandler redirectTo(String path) {
		RedirectServerLogoutSuccessHandler handler = new RedirectServerLogoutSuccessHandler();
		handler.setLogoutSuccessUrl(java.net.URI.create(path));
		return handler;
	}

	@Bean
	SignInAgain signInAgain(ConsoleProperties properties) {
		return new SignInAgain(properties.oidc().registrationId());
	}

	@Bean
	ReactiveClientRegistrationRepository clientRegistrations(ConsoleProperties properties, WebClient.Builder http) {
		return new ProviderRegistrations(properties.oidc(), properties.publicUri(), http);
	}

	/**
	 * Tokens live in the user's session, not in a store shared by the user's sessions.
	 */
	@Bean
	ServerOAuth2AuthorizedClientRepository authorizedClients() {
		return new WebSessionServerOAuth2AuthorizedClientRepository();
	}

	@Bean
	ReactiveOAuth2AuthorizedClientManager authorizedClientManager(ReactiveClientRegistrationRepository registrations,
			ServerOAuth2AuthorizedClientRepository authorizedClients) {
		DefaultReactiveOAuth2AuthorizedClientManager manager = new DefaultReactiveOAuth2AuthorizedClientManager(
				registrations, authorizedClients);
		// An expiring access token is refreshed where the provider gave a refresh token;
		// otherwise the API's 401 sends the user through sign-in again.
		manager.setAuthorizedClientProvider(new DelegatingReactiveOAuth2AuthorizedClientProvider(
				new AuthorizationCodeReactiveOAuth2AuthorizedClientProvider(),
				new RefreshTokenReactiveOAuth2AuthorizedClientProvider()));
		return manager;
	}

	/**
	 * Sessions in memory (a replica's users sign in again after it restarts), behind an
	 * HttpOnly, SameSite=Lax cookie, Secure wherever the console is served over HTTPS.
	 */
	@Bean
	WebSessionManager webSessionManager(ConsoleProperties properties) {
		CookieWebSessionIdResolver cookies = new CookieWebSessionIdResolver();
		cookies.setCookieName(SESSION_COOKIE);
		cookies.addCookieInitializer((ResponseCookie.ResponseCookieBuilder cookie) -> cookie.httpOnly(true)
			.sameSite("Lax")
			.path("/")
			.secure(properties.secureCookie()));
		InMemoryWebSessionStore store = new InMemoryWebSessionStore();
		DefaultWebSessionManager manager = new DefaultWebSessionManager();
		manager.setSessionIdResolver(cookies);
		manager.setSessionStore(new TimedSessionStore(store, properties.sessionTimeout()));
		return manager;
	}

}

package dev.switchboard.gateway.security;

import java.util.Collection;
import java.util.EnumSet;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.authentication.ServerAuthenticationEntryPointFailureHandler;
import org.springframework.security.web.server.util.matcher.NegatedServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import dev.switchboard.events.Role;
import dev.switchboard.gateway.apikey.ApiKeys;
import dev.switchboard.gateway.tenant.GatewayProperties;
import dev.switchboard.support.identity.InternalTokens;

/**
 * Who may call what. Bearer JWTs of the OpenID Connect provider ({@link BearerTokens}) or
 * an {@code X-Api-Key}; webhooks are outside this chain, authenticated by their
 * signature; health, the API documents and the internal token keys are public; the API
 * needs at least one known role; the platform's actuator needs the platform tenant's SRE.
 * The platform roles (SRE, OPERATOR) are dropped from any caller outside the platform
 * tenant and from every API key. Every refusal is a problem detail.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
@EnableConfigurationProperties(SecurityProperties.class)
class SecurityConfiguration {

	static final String API_KEY_HEADER = "X-Api-Key";

	static final String WEBHOOKS = "/webhooks/whatsapp";

	/**
	 * The console's browser paths (route {@code console}): its pages, its sign-in and
	 * logout. The console authenticates these with its own session; the gateway passes
	 * them through without looking for a bearer token.
	 */
	static final String[] CONSOLE = { "/", "/console", "/console/**", "/login/oauth2/code/**",
			"/oauth2/authorization/**", "/logout" };

	@Bean
	ProblemResponses problemResponses(JsonMapper json) {
		return new ProblemResponses(json);
	}

	@Bean
	SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http, ProblemResponses problems,
			ReactiveJwtDecoder jwtDecoder, SecurityProperties properties, GatewayProperties gateway, ApiKeys apiKeys) {
		String platformTenant = platformTenant(properties, gateway);
		String[] knownRoles = EnumSet.allOf(Role.class).stream().map(Role::name).toArray(String[]::new);
		// Webhooks are authenticated by their signature, in the handler, and the
		// console's
		// pages by the console's session: they skip the chain.
		String[] unchained = java.util.stream.Stream
			.concat(java.util.stream.Stream.of(WEBHOOKS), java.util.Arrays.stream(CONSOLE))
			.toArray(String[]::new);
		return http
			.securityMatcher(new NegatedServerWebExchangeMatcher(ServerWebExchangeMatchers.pathMatchers(unchained)))
			.csrf(ServerHttpSecurity.CsrfSpec::disable)
			.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
			.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
			.logout(ServerHttpSecurity.LogoutSpec::disable)
			.requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
			.authorizeExchange(
					(exchanges) -> exchanges.pathMatchers("/actuator/health", "/actuator/health/**", "/actuator/info")
						.permitAll()
						.pathMatchers("/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**", "/webjars/**")
						.permitAll()
						.pathMatchers(HttpMethod.GET, InternalTokens.JWKS_PATH)
						.permitAll()
						// The whole platform's metrics: only the platform's own SRE (no
						// tenant's token carries SRE).
						.pathMatchers("/actuator/**")
						.hasRole(Role.SRE.name())
						// A caller without a known role may do nothing.
						.pathMatchers("/api/**")
						.hasAnyRole(knownRoles)
						.anyExchange()
						.authenticated())
			.addFilterAt(apiKeyFilter(apiKeys, problems, platformTenant), SecurityWebFiltersOrder.AUTHENTICATION)
			.oauth2ResourceServer((oauth2) -> oauth2
				.jwt((jwt) -> jwt.jwtDecoder(jwtDecoder)
					.jwtAuthenticationConverter(BearerTokens.identities(properties.jwt(), platformTenant)))
				.authenticationEntryPoint((exchange, ex) -> problems.write(exchange, HttpStatus.UNAUTHORIZED,
						"A valid bearer token or X-Api-Key is required: " + ex.getMessage())))
			.exceptionHandling((handling) -> handling
				.authenticationEntryPoint((exchange, ex) -> problems.write(exchange, HttpStatus.UNAUTHORIZED,
						"A valid bearer token or X-Api-Key is required"))
				.accessDeniedHandler((exchange, ex) -> problems.write(exchange, HttpStatus.FORBIDDEN,
						"Your roles do not allow " + exchange.getRequest().getMethod() + " "
								+ exchange.getRequest().getPath().value())))
			.build();
	}

	/**
	 * The platform tenant, refused when a WhatsApp tenant has its id (its users would
	 * hold the platform roles).
	 */
	static String platformTenant(SecurityProperties properties, GatewayProperties gateway) {
		String platformTenant = properties.platformTenant();
		if (platformTenant.isBlank()) {
			throw new IllegalStateException("switchboard.security.platform-tenant must not be blank");
		}
		for (GatewayProperties.Tenant tenant : gateway.tenants()) {
			if (platformTenant.equals(tenant.id())) {
				throw new IllegalStateException("The WhatsApp tenant " + tenant.id()
						+ " has the id of the platform tenant (switchboard.security.platform-tenant), whose users hold "
						+ "the platform roles: give it another id");
			}
		}
		return platformTenant;
	}

	private static AuthenticationWebFilter apiKeyFilter(ApiKeys apiKeys, ProblemResponses problems,
			String platformTenant) {
		ReactiveAuthenticationManager manager = (authentication) -> apiKeys
			.authenticate(String.valueOf(authentication.getCredentials()))
			.switchIfEmpty(Mono.error(new BadCredentialsException("Unknown or revoked API key")))
			.map((identity) -> identity.withPlatformRolesOnlyFor(platformTenant).toAuthentication());
		AuthenticationWebFilter filter = new AuthenticationWebFilter(manager);
		filter.setServerAuthenticationConverter(
				(exchange) -> Mono.justOrEmpty(exchange.getRequest().getHeaders().getFirst(API_KEY_HEADER))
					.map(PresentedApiKey::new));
		filter.setAuthenticationFailureHandler(new ServerAuthenticationEntryPointFailureHandler((exchange,
				ex) -> problems.write(exchange, HttpStatus.UNAUTHORIZED, "X-Api-Key is unknown or revoked")));
		return filter;
	}

	@Bean
	ReactiveJwtDecoder jwtDecoder(SecurityProperties properties) {
		return BearerTokens.decoder(properties.jwt());
	}

	/** An {@code X-Api-Key} presented, not yet checked. */
	static final class PresentedApiKey extends AbstractAuthenticationToken {

		private final String key;

		PresentedApiKey(String key) {
			super((Collection<org.springframework.security.core.GrantedAuthority>) null);
			this.key = key;
		}

		@Override
		public Object getCredentials() {
			return this.key;
		}

		@Override
		public Object getPrincipal() {
			return "api-key";
		}

	}

}

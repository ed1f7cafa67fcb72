package dev.switchboard.gateway.security;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
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
 * Who may call what. Bearer JWTs (claims {@code sub}, {@code tenant}, {@code roles}) or
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

	@Bean
	ProblemResponses problemResponses(JsonMapper json) {
		return new ProblemResponses(json);
	}

	@Bean
	SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http, ProblemResponses problems,
			ReactiveJwtDecoder jwtDecoder, SecurityProperties properties, GatewayProperties gateway, ApiKeys apiKeys) {
		String platformTenant = platformTenant(properties, gateway);
		String[] knownRoles = EnumSet.allOf(Role.class).stream().map(Role::name).toArray(String[]::new);
		// Webhooks are authenticated by their signature, in the handler: they skip the
		// chain.
		return http
			.securityMatcher(new NegatedServerWebExchangeMatcher(ServerWebExchangeMatchers.pathMatchers(WEBHOOKS)))
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
						// Exists only with the local profile; elsewhere nothing answers
						// it: 404.
						.pathMatchers(HttpMethod.POST, "/api/v1/dev/tokens")
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
					.jwtAuthenticationConverter(identityFromJwt(properties.jwt(), platformTenant)))
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

	private static Converter<Jwt, Mono<AbstractAuthenticationToken>> identityFromJwt(SecurityProperties.Jwt settings,
			String platformTenant) {
		return (jwt) -> {
			String tenant = jwt.getClaimAsString(settings.tenantClaim());
			String subject = jwt.getSubject();
			if (tenant == null || tenant.isBlank() || subject == null || subject.isBlank()) {
				return Mono
					.error(new BadCredentialsException("The token needs the claims sub and " + settings.tenantClaim()));
			}
			Set<Role> roles = EnumSet.noneOf(Role.class);
			Collection<String> names = jwt.getClaimAsStringList(settings.rolesClaim());
			if (names != null) {
				for (String name : names) {
					try {
						roles.add(Role.valueOf(name.toUpperCase(Locale.ROOT)));
					}
					catch (IllegalArgumentException ex) {
						// Roles of other applications grant nothing here.
					}
				}
			}
			return Mono.just(new Identity(tenant, subject, roles, null).withPlatformRolesOnlyFor(platformTenant)
				.toAuthentication());
		};
	}

	@Bean
	ReactiveJwtDecoder jwtDecoder(SecurityProperties properties) {
		SecurityProperties.Jwt jwt = properties.jwt();
		if (jwt.jwkSetUri() != null && !jwt.jwkSetUri().isBlank()) {
			return NimbusReactiveJwtDecoder.withJwkSetUri(jwt.jwkSetUri()).build();
		}
		return NimbusReactiveJwtDecoder.withSecretKey(hmacKey(jwt)).macAlgorithm(MacAlgorithm.HS256).build();
	}

	static SecretKey hmacKey(SecurityProperties.Jwt jwt) {
		String secret = jwt.hmacSecret();
		if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < 32) {
			throw new IllegalStateException("Set switchboard.security.jwt.jwk-set-uri (production) or "
					+ "switchboard.security.jwt.hmac-secret of at least 32 bytes (local start and tests)");
		}
		return new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
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

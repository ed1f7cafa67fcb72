package dev.switchboard.support.identity;

import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.convert.converter.Converter;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.MappedJwtClaimSetConverter;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import dev.switchboard.events.Role;

/**
 * Makes a service an OAuth2 resource server of the gateway: every request but actuator
 * and the API document needs the gateway's internal identity token (ES256, issuer
 * {@value InternalTokens#ISSUER}, audience this application's name, {@code exp} required,
 * at most 60 s long) and a known role. Anything else is 401 (403 without a role) as a
 * problem detail. Backs off when the application has its own security chain or sets
 * {@code switchboard.identity.verify=false} (the gateway, which issues the tokens).
 */
@AutoConfiguration(beforeName = {
		"org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.actuate.web.reactive.ReactiveManagementWebSecurityAutoConfiguration",
		"org.springframework.boot.security.oauth2.server.resource.autoconfigure.reactive.ReactiveOAuth2ResourceServerAutoConfiguration",
		"org.springframework.boot.security.oauth2.server.resource.autoconfigure.web.reactive.ReactiveOAuth2ResourceServerWebSecurityAutoConfiguration" })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnProperty(name = "switchboard.identity.verify", havingValue = "true", matchIfMissing = true)
@EnableWebFluxSecurity
@EnableConfigurationProperties(InternalIdentityProperties.class)
public class InternalIdentityAutoConfiguration {

	/** Clocks of the gateway and the services differ by far less than this. */
	static final Duration CLOCK_SKEW = Duration.ofSeconds(5);

	/** The tenant whose users alone may hold platform roles. */
	static final String PLATFORM_TENANT = "${switchboard.security.platform-tenant:platform}";

	@Bean
	@ConditionalOnMissingBean(ReactiveJwtDecoder.class)
	ReactiveJwtDecoder internalTokenDecoder(InternalIdentityProperties properties, Environment environment) {
		String audience = environment.getProperty("spring.application.name");
		if (audience == null || audience.isBlank()) {
			throw new IllegalStateException(
					"spring.application.name is the audience of the internal identity token: set it");
		}
		return decoder(properties, audience);
	}

	/**
	 * The verifier of internal tokens for one service.
	 * @param properties where the gateway's public keys are
	 * @param audience the service's name
	 * @return the decoder: ES256 signature, issuer, audience, {@code exp} and lifetime
	 */
	public static ReactiveJwtDecoder decoder(InternalIdentityProperties properties, String audience) {
		NimbusReactiveJwtDecoder decoder = decoder(properties);
		// Spring fills a missing iat with exp - 1 s; a token without iat must not pass
		// the lifetime check that way, so it gets the epoch instead.
		MappedJwtClaimSetConverter claims = MappedJwtClaimSetConverter.withDefaults(Map.of());
		decoder.setClaimSetConverter((raw) -> {
			Map<String, Object> converted = claims.convert(raw);
			if (converted == null || raw.containsKey(JwtClaimNames.IAT)) {
				return converted;
			}
			Map<String, Object> withoutIssuedAt = new HashMap<>(converted);
			withoutIssuedAt.put(JwtClaimNames.IAT, Instant.EPOCH);
			return withoutIssuedAt;
		});
		decoder.setJwtValidator(validator(audience));
		return decoder;
	}

	@Bean
	@ConditionalOnMissingBean(SecurityWebFilterChain.class)
	SecurityWebFilterChain internalIdentityFilterChain(ServerHttpSecurity http, ReactiveJwtDecoder internalTokenDecoder,
			JsonMapper json, Environment environment) {
		String platformTenant = environment.resolvePlaceholders(PLATFORM_TENANT);
		String[] knownRoles = EnumSet.allOf(Role.class).stream().map(Role::name).toArray(String[]::new);
		return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
			.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
			.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
			.logout(ServerHttpSecurity.LogoutSpec::disable)
			.requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
			.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
			// No blanket Cache-Control: no-store. The gateway keeps a response for
			// Idempotency-Key replays unless it says no-store, which an endpoint
			// returning a
			// secret sets itself.
			.headers((headers) -> headers.cache(ServerHttpSecurity.HeaderSpec.CacheSpec::disable))
			.authorizeExchange((exchanges) -> exchanges
				// Actuator moves to a management port that only the cluster reaches; the
				// API document is what the gateway publishes anyway.
				.pathMatchers("/actuator", "/actuator/**", "/v3/api-docs", "/v3/api-docs/**")
				.permitAll()
				// Defence in depth: the gateway already refuses a caller without a role.
				.anyExchange()
				.hasAnyRole(knownRoles))
			.oauth2ResourceServer((oauth2) -> oauth2
				.jwt((jwt) -> jwt.jwtDecoder(internalTokenDecoder).jwtAuthenticationConverter(caller(platformTenant)))
				.authenticationEntryPoint((exchange, ex) -> unauthorized(json, exchange,
						"A valid internal identity token is required: call the API through the gateway ("
								+ ex.getMessage() + ")")))
			.exceptionHandling((handling) -> handling
				.authenticationEntryPoint((exchange, ex) -> unauthorized(json, exchange,
						"A valid internal identity token is required: call the API through the gateway"))
				.accessDeniedHandler((exchange, ex) -> write(json, exchange, HttpStatus.FORBIDDEN,
						"Your roles do not allow " + exchange.getRequest().getMethod() + " "
								+ exchange.getRequest().getPath().value())))
			.build();
	}

	static NimbusReactiveJwtDecoder decoder(InternalIdentityProperties properties) {
		if (properties.jwks() != null && !properties.jwks().isBlank()) {
			JWKSet keys;
			try {
				// Public halves only, even if a private key was configured by mistake.
				keys = JWKSet.parse(properties.jwks()).toPublicJWKSet();
			}
			catch (ParseException ex) {
				throw new IllegalStateException(
						"switchboard.identity.jwks (SWITCHBOARD_IDENTITY_JWKS) is not a JSON JWK set: "
								+ ex.getMessage(),
						ex);
			}
			return NimbusReactiveJwtDecoder.withJwkSource(
					(jwt) -> Flux.fromIterable(new JWKSelector(JWKMatcher.forJWSHeader(jwt.getHeader())).select(keys)))
				.jwsAlgorithm(SignatureAlgorithm.ES256)
				.build();
		}
		if (properties.jwkSetUri() != null && !properties.jwkSetUri().isBlank()) {
			return NimbusReactiveJwtDecoder.withJwkSetUri(properties.jwkSetUri())
				.jwsAlgorithm(SignatureAlgorithm.ES256)
				.build();
		}
		throw new IllegalStateException(
				"This service verifies the gateway's identity tokens and needs its public keys: "
						+ "set SWITCHBOARD_IDENTITY_JWK_SET_URI (switchboard.identity.jwk-set-uri, e.g. http://gateway:8080"
						+ InternalTokens.JWKS_PATH
						+ ") or SWITCHBOARD_IDENTITY_JWKS (switchboard.identity.jwks, the JWK set " + "as JSON)");
	}

	static OAuth2TokenValidator<Jwt> validator(String audience) {
		JwtTimestampValidator timestamps = new JwtTimestampValidator(CLOCK_SKEW);
		timestamps.setAllowEmptyExpiryClaim(false);
		return new DelegatingOAuth2TokenValidator<>(List.of(timestamps, new JwtIssuerValidator(InternalTokens.ISSUER),
				new JwtAudienceValidator(audience), InternalIdentityAutoConfiguration::shortLived));
	}

	/** A stolen internal token is worth at most a minute. */
	static OAuth2TokenValidatorResult shortLived(Jwt jwt) {
		Instant issuedAt = jwt.getIssuedAt();
		Instant expiresAt = jwt.getExpiresAt();
		if (issuedAt == null || expiresAt == null
				|| Duration.between(issuedAt, expiresAt).compareTo(InternalTokens.MAX_LIFETIME) > 0) {
			return OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN,
					"The token needs iat and exp at most " + InternalTokens.MAX_LIFETIME.toSeconds() + " s apart",
					null));
		}
		return OAuth2TokenValidatorResult.success();
	}

	/**
	 * The verified caller: authorities {@code ROLE_<role>} for the roles this platform
	 * knows; platform roles only for the platform tenant (the gateway already ensures
	 * it).
	 */
	static Converter<Jwt, Mono<AbstractAuthenticationToken>> caller(String platformTenant) {
		return (jwt) -> {
			String tenant = jwt.getClaimAsString(InternalTokens.TENANT);
			String subject = jwt.getSubject();
			if (tenant == null || tenant.isBlank() || subject == null || subject.isBlank()) {
				return Mono
					.error(new BadCredentialsException("The token needs the claims sub and " + InternalTokens.TENANT));
			}
			Collection<GrantedAuthority> authorities = roles(jwt, tenant.equals(platformTenant)).stream()
				.map((role) -> (GrantedAuthority) new SimpleGrantedAuthority("ROLE_" + role.name()))
				.toList();
			return Mono.just(new JwtAuthenticationToken(jwt, authorities, subject));
		};
	}

	static Set<Role> roles(Jwt jwt, boolean platformTenant) {
		Set<Role> roles = EnumSet.noneOf(Role.class);
		List<String> names = jwt.getClaimAsStringList(InternalTokens.ROLES);
		if (names != null) {
			for (String name : names) {
				Role role = role(name);
				if (role != null && (platformTenant || !role.isPlatformRole())) {
					roles.add(role);
				}
			}
		}
		return roles;
	}

	private static @Nullable Role role(String name) {
		try {
			return Role.valueOf(name.toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			// Roles this platform does not know grant nothing.
			return null;
		}
	}

	private static Mono<Void> unauthorized(JsonMapper json, ServerWebExchange exchange, String detail) {
		exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
		return write(json, exchange, HttpStatus.UNAUTHORIZED, detail);
	}

	private static Mono<Void> write(JsonMapper json, ServerWebExchange exchange, HttpStatus status, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setInstance(URI.create(exchange.getRequest().getPath().value()));
		ServerHttpResponse response = exchange.getResponse();
		response.setStatusCode(status);
		response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		byte[] body = json.writeValueAsBytes(problem);
		return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
	}

}

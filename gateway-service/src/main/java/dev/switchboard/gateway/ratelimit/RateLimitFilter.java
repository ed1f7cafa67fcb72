package dev.switchboard.gateway.ratelimit;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import dev.switchboard.gateway.security.Identity;
import dev.switchboard.gateway.security.ProblemResponses;

/**
 * Token-bucket limits on the API, per tenant and per API key, after authentication. A
 * refused request gets 429 with {@code Retry-After} and is counted in
 * {@code switchboard_gateway_rate_limited_total}.
 */
@Component
@EnableConfigurationProperties(RateLimitProperties.class)
class RateLimitFilter implements WebFilter, Ordered {

	/** Buckets of tenants and API keys held at most, each. */
	private static final int MAX_KEYS = 100_000;

	private final ProblemResponses problems;

	private final MeterRegistry meters;

	private final Buckets tenants;

	private final Buckets apiKeys;

	RateLimitFilter(RateLimitProperties properties, ProblemResponses problems, MeterRegistry meters) {
		this.problems = problems;
		this.meters = meters;
		this.tenants = new Buckets(properties.perTenant(), MAX_KEYS);
		this.apiKeys = new Buckets(properties.perApiKey(), MAX_KEYS);
	}

	@Override
	public int getOrder() {
		// After Spring Security's chain (-100): the caller is known.
		return 0;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (!exchange.getRequest().getPath().value().startsWith("/api/")) {
			return chain.filter(exchange);
		}
		return exchange.getPrincipal()
			.filter((principal) -> principal instanceof Authentication authentication
					&& authentication.getPrincipal() instanceof Identity)
			.map((principal) -> (Identity) ((Authentication) principal).getPrincipal())
			.flatMap((identity) -> {
				Duration wait = take(identity);
				if (wait.isZero()) {
					return chain.filter(exchange).thenReturn(true);
				}
				this.meters
					.counter("switchboard.gateway.rate.limited", "limit",
							(identity.apiKeyId() != null) ? "api_key" : "tenant")
					.increment();
				long seconds = Buckets.retryAfterSeconds(wait);
				exchange.getResponse().getHeaders().set("Retry-After", Long.toString(seconds));
				return this.problems
					.write(exchange, HttpStatus.TOO_MANY_REQUESTS,
							"Rate limit reached for " + identity.rateLimitKey() + "; retry in " + seconds + " s")
					.thenReturn(true);
			})
			.switchIfEmpty(Mono.defer(() -> chain.filter(exchange).thenReturn(true)))
			.then();
	}

	private Duration take(Identity identity) {
		Duration tenantWait = this.tenants.tryTake(identity.tenantId());
		if (!tenantWait.isZero() || identity.apiKeyId() == null) {
			return tenantWait;
		}
		return this.apiKeys.tryTake(identity.apiKeyId());
	}

}

package dev.switchboard.gateway.ratelimit;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

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
import dev.switchboard.support.ratelimit.Rate;
import dev.switchboard.support.ratelimit.SharedBuckets;

/**
 * Token-bucket limits on the API, per tenant and per API key, after authentication,
 * shared by every gateway replica ({@link SharedBuckets}: one tenant is one business
 * number, whose limit must not grow with the replicas). A refused request gets 429 with
 * {@code Retry-After} and is counted in {@code switchboard_gateway_rate_limited_total}.
 * When the buckets' table cannot be reached, or does not answer within
 * {@code shared-timeout}, the request passes (counted in
 * {@code switchboard_shared_limits_errors_total}): the limit protects the platform, and
 * refusing or stalling every call while the database is briefly away would be the larger
 * outage.
 */
@Component
@EnableConfigurationProperties(RateLimitProperties.class)
class RateLimitFilter implements WebFilter, Ordered {

	private final ProblemResponses problems;

	private final MeterRegistry meters;

	private final SharedBuckets buckets;

	private final Rate perTenant;

	private final Rate perApiKey;

	private final Duration sharedTimeout;

	RateLimitFilter(RateLimitProperties properties, SharedBuckets buckets, ProblemResponses problems,
			MeterRegistry meters) {
		this.problems = problems;
		this.meters = meters;
		this.buckets = buckets;
		this.perTenant = properties.perTenant().rate();
		this.perApiKey = properties.perApiKey().rate();
		this.sharedTimeout = properties.sharedTimeout();
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
			.flatMap((identity) -> take(identity).flatMap((wait) -> {
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
			}))
			.switchIfEmpty(Mono.defer(() -> chain.filter(exchange).thenReturn(true)))
			.then();
	}

	private Mono<Duration> take(Identity identity) {
		Mono<Duration> tenant = tryTake("tenant:" + identity.tenantId(), this.perTenant);
		String apiKey = identity.apiKeyId();
		if (apiKey == null) {
			return tenant;
		}
		return tenant.flatMap((wait) -> wait.isZero() ? tryTake("api-key:" + apiKey, this.perApiKey) : Mono.just(wait));
	}

	private Mono<Duration> tryTake(String key, Rate rate) {
		return this.buckets.tryTake(key, rate)
			.timeout(this.sharedTimeout)
			// Counted as the buckets count an unreachable table: by the limit's kind.
			.doOnError(TimeoutException.class,
					(ex) -> this.meters
						.counter("switchboard.shared.limits.errors", "limit", key.substring(0, key.indexOf(':')))
						.increment())
			.onErrorReturn(Duration.ZERO);
	}

}

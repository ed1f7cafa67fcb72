package dev.switchboard.gateway.ratelimit;

import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.PathContainer;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Mono;

import dev.switchboard.gateway.security.ProblemResponses;

/**
 * A token bucket per client address on the paths anyone may call without credentials
 * (webhooks, API documents, discovery), before anything else reads the request. A refused
 * request gets 429 with {@code Retry-After}, counted in
 * {@code switchboard_gateway_rate_limited_total{limit="client_address"}}. These buckets
 * stay in each replica's memory: they stop floods, which should cost no database work,
 * and are sized far above any legitimate sender, so that each replica holds its own is
 * fine.
 */
@Component
class ClientAddressRateLimitFilter implements WebFilter, Ordered {

	private final List<PathPattern> paths;

	private final ClientAddresses addresses;

	private final Buckets buckets;

	private final ProblemResponses problems;

	private final Counter limited;

	ClientAddressRateLimitFilter(RateLimitProperties properties, ProblemResponses problems, MeterRegistry meters) {
		RateLimitProperties.PerClientAddress settings = properties.perClientAddress();
		this.paths = settings.paths().stream().map(PathPatternParser.defaultInstance::parse).toList();
		this.addresses = new ClientAddresses(settings.trustedProxies());
		this.buckets = new Buckets(settings.limit(), settings.maxClients());
		this.problems = problems;
		this.limited = meters.counter("switchboard.gateway.rate.limited", "limit", "client_address");
	}

	@Override
	public int getOrder() {
		// Right after the identity headers are stripped, before Spring Security (-100).
		return Ordered.HIGHEST_PRECEDENCE + 1;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (!isLimited(exchange.getRequest().getPath().pathWithinApplication())) {
			return chain.filter(exchange);
		}
		String client = this.addresses.of(exchange.getRequest());
		Duration wait = this.buckets.tryTake(client);
		if (wait.isZero()) {
			return chain.filter(exchange);
		}
		this.limited.increment();
		long seconds = Buckets.retryAfterSeconds(wait);
		exchange.getResponse().getHeaders().set("Retry-After", Long.toString(seconds));
		return this.problems.write(exchange, HttpStatus.TOO_MANY_REQUESTS,
				"Too many requests from your address; retry in " + seconds + " s");
	}

	private boolean isLimited(PathContainer path) {
		for (PathPattern pattern : this.paths) {
			if (pattern.matches(path)) {
				return true;
			}
		}
		return false;
	}

}

package dev.switchboard.gateway.ratelimit;

import java.time.Duration;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import dev.switchboard.support.ratelimit.Rate;

/**
 * Rate limits. The per-tenant and per-API-key buckets are shared by every gateway replica
 * (in PostgreSQL); the per-client-address one is held in each replica's memory.
 *
 * @param perTenant the bucket every API request of a tenant takes from
 * @param perApiKey the bucket every API request made with one API key also takes from
 * @param perClientAddress the bucket every request to a public path takes from, per
 * client address
 * @param sharedTimeout how long a request waits for the shared buckets before it passes
 * as when they cannot be reached (a stalled table must not stall the API)
 */
@ConfigurationProperties("switchboard.gateway.rate-limit")
record RateLimitProperties(@DefaultValue( {
		"200", "100" }) Limit perTenant, @DefaultValue({ "50", "20" }) Limit perApiKey,
		@DefaultValue PerClientAddress perClientAddress, @DefaultValue("1s") Duration sharedTimeout){

	/**
	 * A bucket's size.
	 *
	 * @param capacity the burst allowed
	 * @param refillPerSecond the sustained rate
	 */
	record Limit(int capacity, double refillPerSecond) {

		Rate rate() {
			return new Rate(this.capacity, this.refillPerSecond);
		}

	}

	/**
	 * The limit on the paths anyone may call (webhooks, API documents, discovery), per
	 * client address. The default (10,000/s) is twice the benchmark's throughput stage,
	 * which posts 5,000 webhooks/s from one address, and about twice what a 2-core
	 * gateway acknowledges: it stops floods from one address, not Meta.
	 *
	 * @param capacity the burst allowed
	 * @param refillPerSecond the sustained rate
	 * @param trustedProxies addresses or CIDR ranges of the proxies in front of the
	 * gateway: only from them is {@code X-Forwarded-For} believed (empty: never)
	 * @param paths the path patterns limited
	 * @param maxClients how many addresses' buckets are held at most
	 */
	record PerClientAddress(@DefaultValue("20000") int capacity, @DefaultValue("10000") double refillPerSecond,
			@DefaultValue List<String> trustedProxies, @DefaultValue( {
					"/webhooks/**", "/.well-known/**", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**",
					"/webjars/**" }) List<String> paths,
			@DefaultValue("100000") int maxClients){

		Limit limit() {
			return new Limit(this.capacity, this.refillPerSecond);
		}

	}

}

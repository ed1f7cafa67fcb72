package dev.switchboard.gateway.ratelimit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * API rate limits, held in memory per gateway instance (see
 * docs/services/gateway-service.md for making them shared across replicas).
 *
 * @param perTenant the bucket every request of a tenant takes from
 * @param perApiKey the bucket every request made with one API key also takes from
 */
@ConfigurationProperties("switchboard.gateway.rate-limit")
record RateLimitProperties(@DefaultValue( {
		"200", "100" }) Limit perTenant, @DefaultValue({ "50", "20" }) Limit perApiKey){

	/**
	 * A bucket's size.
	 *
	 * @param capacity the burst allowed
	 * @param refillPerSecond the sustained rate
	 */
	record Limit(int capacity, double refillPerSecond) {

	}

}

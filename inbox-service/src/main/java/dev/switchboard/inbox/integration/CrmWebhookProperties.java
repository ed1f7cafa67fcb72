package dev.switchboard.inbox.integration;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How deliveries to CRM webhooks are made and retried.
 *
 * @param maxAttempts attempts before a delivery is {@code FAILED}
 * @param firstRetry the wait after the first failed attempt; it doubles each time
 * @param longestRetry the longest wait between attempts
 * @param interval how often due deliveries are looked for
 * @param batch the most deliveries claimed at once
 * @param lease how long a claimed delivery stays with the replica that claimed it; longer
 * than an attempt can take
 * @param connectTimeout the longest wait for a connection to the receiver
 * @param responseTimeout the longest wait for the receiver's answer
 * @param maxSubscriptionsPerTenant the most active subscriptions a tenant may have
 * @param allowPlainHttpToLoopback whether {@code http://} URLs to loopback addresses are
 * allowed: only for local runs (the {@code local} profile sets it), never in production
 */
@ConfigurationProperties("switchboard.crm-webhooks")
public record CrmWebhookProperties(@DefaultValue("8") int maxAttempts, @DefaultValue("10s") Duration firstRetry,
		@DefaultValue("1h") Duration longestRetry, @DefaultValue("1s") Duration interval, @DefaultValue("20") int batch,
		@DefaultValue("2m") Duration lease, @DefaultValue("5s") Duration connectTimeout,
		@DefaultValue("10s") Duration responseTimeout, @DefaultValue("20") int maxSubscriptionsPerTenant,
		@DefaultValue("false") boolean allowPlainHttpToLoopback) {

	public CrmWebhookProperties {
		if (maxAttempts < 1) {
			throw new IllegalArgumentException("switchboard.crm-webhooks.max-attempts must be at least 1");
		}
		if (batch < 1) {
			throw new IllegalArgumentException("switchboard.crm-webhooks.batch must be at least 1");
		}
		if (maxSubscriptionsPerTenant < 1) {
			throw new IllegalArgumentException(
					"switchboard.crm-webhooks.max-subscriptions-per-tenant must be at least 1");
		}
		if (lease.compareTo(connectTimeout.plus(responseTimeout)) <= 0) {
			throw new IllegalArgumentException(
					"switchboard.crm-webhooks.lease must be longer than connect-timeout plus response-timeout, "
							+ "or a slow receiver would get the same delivery twice at once");
		}
	}

	/**
	 * The wait before the next attempt.
	 * @param attempts the attempts made so far (at least 1)
	 * @return {@code firstRetry} doubled for each attempt after the first, at most
	 * {@code longestRetry}
	 */
	Duration retryAfter(int attempts) {
		long factor = 1L << Math.min(20, Math.max(0, attempts - 1));
		Duration wait = this.firstRetry.multipliedBy(factor);
		return (wait.compareTo(this.longestRetry) > 0) ? this.longestRetry : wait;
	}

}

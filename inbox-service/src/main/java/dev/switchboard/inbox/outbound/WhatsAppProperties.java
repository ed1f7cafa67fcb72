package dev.switchboard.inbox.outbound;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the inbox reaches the WhatsApp Cloud API.
 *
 * @param graphBaseUrl the Graph API ({@code https://graph.facebook.com}; the local start
 * points it at the sandbox)
 * @param apiVersion the Graph API version in the path
 * @param accessToken the system user's access token
 * @param messagesPerSecond the send cap: the most sends per business phone number and
 * second, all replicas together (Meta's default throughput is 80); a burst of as many may
 * leave at once after a quiet second
 * @param maxAttempts attempts before a send is marked failed
 * @param firstRetry the wait after the first failed attempt; it doubles each time
 * @param longestRetry the longest wait between attempts
 * @param sendInterval how often the send queue is looked at
 * @param sendBatch the most sends claimed at once
 * @param lease how long a claimed send stays with the replica that claimed it
 */
@ConfigurationProperties("switchboard.whatsapp")
public record WhatsAppProperties(@DefaultValue("https://graph.facebook.com") String graphBaseUrl,
		@DefaultValue("v21.0") String apiVersion, @DefaultValue("") String accessToken,
		@DefaultValue("80") int messagesPerSecond, @DefaultValue("6") int maxAttempts,
		@DefaultValue("1s") Duration firstRetry, @DefaultValue("5m") Duration longestRetry,
		@DefaultValue("200ms") Duration sendInterval, @DefaultValue("50") int sendBatch,
		@DefaultValue("30s") Duration lease) {

	Duration retryAfter(int attempts) {
		long factor = 1L << Math.min(20, Math.max(0, attempts - 1));
		Duration wait = this.firstRetry.multipliedBy(factor);
		return (wait.compareTo(this.longestRetry) > 0) ? this.longestRetry : wait;
	}

}

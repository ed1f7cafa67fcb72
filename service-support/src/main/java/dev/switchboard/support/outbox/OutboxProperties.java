package dev.switchboard.support.outbox;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the outbox relay.
 *
 * @param pollInterval how long the relay waits for new rows when it was not signalled
 * @param batchSize how many rows one relay transaction publishes at most
 * @param sendTimeout how long the relay waits for the broker's acknowledgements
 */
@ConfigurationProperties("switchboard.outbox")
public record OutboxProperties(@DefaultValue("200ms") Duration pollInterval, @DefaultValue("500") int batchSize,
		@DefaultValue("30s") Duration sendTimeout) {

}

package dev.switchboard.gateway.idempotency;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long {@code Idempotency-Key}s are kept.
 *
 * @param retention how long a key is replayed; an older key is claimed afresh and its
 * record deleted by the purge
 * @param purgeInterval how often the purge deletes keys older than the retention
 */
@ConfigurationProperties("switchboard.gateway.idempotency")
record IdempotencyProperties(@DefaultValue("24h") Duration retention, @DefaultValue("1h") Duration purgeInterval) {

}

package dev.switchboard.routing.window;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the customer-service window.
 *
 * @param length how long the window stays open after the customer's last message
 * (WhatsApp: 24 h)
 * @param closingThreshold how long before expiry the window counts as closing
 * @param timerInterval how often due window timers are looked for
 * @param timerBatch how many due timers one look handles at most
 */
@ConfigurationProperties("switchboard.window")
public record WindowProperties(@DefaultValue("24h") Duration length, @DefaultValue("1h") Duration closingThreshold,
		@DefaultValue("1s") Duration timerInterval, @DefaultValue("200") int timerBatch) {

}

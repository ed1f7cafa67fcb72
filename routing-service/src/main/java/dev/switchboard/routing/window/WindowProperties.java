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
 */
@ConfigurationProperties("switchboard.window")
record WindowProperties(@DefaultValue("24h") Duration length, @DefaultValue("1h") Duration closingThreshold) {

}

package dev.switchboard.events;

/**
 * Events the gateway publishes: WhatsApp webhook items, verified and split per message or
 * template change.
 */
public sealed interface GatewayEvent extends SwitchboardEvent
		permits WhatsAppMessageReceived, WhatsAppStatusReceived, WhatsAppTemplateUpdated {

}

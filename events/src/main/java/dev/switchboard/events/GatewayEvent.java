package dev.switchboard.events;

/**
 * Events the gateway publishes: WhatsApp webhook items, verified and split per message.
 */
public sealed interface GatewayEvent extends SwitchboardEvent permits WhatsAppMessageReceived, WhatsAppStatusReceived {

}

/** The front door: WhatsApp webhooks in, the platform API routed to the services. */
@NullMarked
package dev.switchboard.gateway;

import org.jspecify.annotations.NullMarked;

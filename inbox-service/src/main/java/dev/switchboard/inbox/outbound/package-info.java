/**
 * Sending to customers through the WhatsApp Cloud API: the refusal rules, the durable
 * send queue, the Graph API client and the ticks (statuses) that come back.
 */
@NullMarked
package dev.switchboard.inbox.outbound;

import org.jspecify.annotations.NullMarked;

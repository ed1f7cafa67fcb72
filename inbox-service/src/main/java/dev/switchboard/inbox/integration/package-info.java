/**
 * Integrations: outgoing webhooks for CRMs. A tenant subscribes a URL to event types;
 * every matching event becomes a signed delivery, retried with doubling waits and kept in
 * a delivery log.
 */
@NullMarked
package dev.switchboard.inbox.integration;

import org.jspecify.annotations.NullMarked;

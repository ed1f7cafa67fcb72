/**
 * The shared inbox: contacts, conversations and messages of a tenant's WhatsApp number.
 */
@NullMarked
package dev.switchboard.inbox;

import org.jspecify.annotations.NullMarked;

/** Attribution and delivery facts of every outbound message, for owners and admins. */
@NullMarked
package dev.switchboard.audit.message;

import org.jspecify.annotations.NullMarked;

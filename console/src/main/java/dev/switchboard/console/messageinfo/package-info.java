/**
 * Message info for owners and admins: the sending agent and device, delivery and read
 * times.
 */
@NullMarked
package dev.switchboard.console.messageinfo;

import org.jspecify.annotations.NullMarked;

/** Customers: consent (opt-in with source and time), blocking, labels. */
@NullMarked
package dev.switchboard.inbox.contact;

import org.jspecify.annotations.NullMarked;

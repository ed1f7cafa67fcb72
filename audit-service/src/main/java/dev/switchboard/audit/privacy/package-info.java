/**
 * Personal data: message bodies encrypted per contact, erasure by destroying the key,
 * legal holds.
 */
@NullMarked
package dev.switchboard.audit.privacy;

import org.jspecify.annotations.NullMarked;

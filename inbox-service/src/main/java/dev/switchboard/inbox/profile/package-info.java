/** The business profile customers see. */
@NullMarked
package dev.switchboard.inbox.profile;

import org.jspecify.annotations.NullMarked;

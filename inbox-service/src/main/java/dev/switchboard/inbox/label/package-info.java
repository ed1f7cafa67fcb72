/** Labels of the tenant and their use on conversations and contacts. */
@NullMarked
package dev.switchboard.inbox.label;

import org.jspecify.annotations.NullMarked;

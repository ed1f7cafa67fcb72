/**
 * Message templates the tenant had approved by Meta: what may be sent outside the window.
 */
@NullMarked
package dev.switchboard.inbox.template;

import org.jspecify.annotations.NullMarked;

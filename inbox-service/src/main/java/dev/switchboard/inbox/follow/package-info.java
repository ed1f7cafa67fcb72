/**
 * The inbox's copies of other services' facts it needs to decide alone: the 24-hour
 * window and the assignee (routing), and the device registry (audit).
 */
@NullMarked
package dev.switchboard.inbox.follow;

import org.jspecify.annotations.NullMarked;

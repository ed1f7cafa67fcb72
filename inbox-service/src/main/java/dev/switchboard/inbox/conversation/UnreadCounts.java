package dev.switchboard.inbox.conversation;

/**
 * Conversations waiting for an answer (unread messages, not resolved).
 *
 * @param mine assigned to the caller
 * @param unassigned assigned to nobody
 * @param all the tenant's
 */
public record UnreadCounts(long mine, long unassigned, long all) {

}

package dev.switchboard.console.api;

/**
 * Conversations waiting for an answer, per inbox tab
 * ({@code GET /api/v1/conversations/unread-counts}).
 *
 * @param mine the user's
 * @param unassigned nobody's
 * @param all the tenant's
 */
public record UnreadCounts(long mine, long unassigned, long all) {

}

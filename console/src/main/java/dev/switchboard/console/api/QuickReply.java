package dev.switchboard.console.api;

/**
 * A canned answer ({@code GET /api/v1/quick-replies}).
 *
 * @param id its id
 * @param shortcut what the agent types after {@code /}
 * @param text the answer
 */
public record QuickReply(String id, String shortcut, String text) {

}

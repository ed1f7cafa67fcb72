package dev.switchboard.console.live;

import org.jspecify.annotations.Nullable;

/**
 * A change a browser may need to show: only the tenant, the kind and an id, never the
 * content (the browser reads that through the API with the user's token).
 *
 * @param tenant the tenant it belongs to
 * @param kind what changed
 * @param conversationId the conversation, for conversation-level kinds
 */
record LiveEvent(String tenant, LiveKind kind, @Nullable String conversationId) {

}

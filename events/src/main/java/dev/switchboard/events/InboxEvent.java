package dev.switchboard.events;

/** Events the inbox publishes. */
public sealed interface InboxEvent extends SwitchboardEvent
		permits MessageReceived, MessageSent, MessageStatusChanged, ConversationStatusChanged {

}

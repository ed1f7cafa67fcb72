package dev.switchboard.events;

/** Events routing publishes. */
public sealed interface RoutingEvent extends SwitchboardEvent permits WindowOpened, WindowExtended, WindowClosing,
		WindowExpired, ConversationAssigned, ConversationQueued, ConversationEscalated {

}

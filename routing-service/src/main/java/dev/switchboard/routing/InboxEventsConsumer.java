package dev.switchboard.routing;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import reactor.core.publisher.Mono;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

import dev.switchboard.events.ConversationStatusChanged;
import dev.switchboard.events.MessageReceived;
import dev.switchboard.events.MessageSent;
import dev.switchboard.events.SwitchboardEvent;
import dev.switchboard.routing.assignment.Dispatcher;
import dev.switchboard.routing.window.ConversationWindows;
import dev.switchboard.support.consumer.EventProcessor;

/**
 * Applies the inbox's events it acts on once each, in one transaction per event (the
 * others, statuses among them, cost no transaction): the window first, then the
 * assignment, so a conversation's window and its waiting customer never disagree.
 */
@Configuration(proxyBeanMethods = false)
class InboxEventsConsumer {

	static final String CONSUMER = "routing.inbox-events";

	private static final Set<Class<? extends SwitchboardEvent>> HANDLED = Set.of(MessageReceived.class,
			MessageSent.class, ConversationStatusChanged.class);

	@Bean
	Consumer<Message<List<byte[]>>> routeInboxEvents(EventProcessor processor, ConversationWindows windows,
			Dispatcher dispatcher) {
		return (batch) -> processor.processAll(CONSUMER, batch, HANDLED, (event) -> switch (event) {
			case MessageReceived received -> windows.customerWrote(received).then(dispatcher.customerWrote(received));
			case MessageSent sent -> dispatcher.agentReplied(sent);
			case ConversationStatusChanged changed -> dispatcher.statusChanged(changed);
			default -> Mono.empty();
		});
	}

}

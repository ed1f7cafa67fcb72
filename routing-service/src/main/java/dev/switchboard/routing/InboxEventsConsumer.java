package dev.switchboard.routing;

import java.util.function.Consumer;

import reactor.core.publisher.Mono;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

import dev.switchboard.events.ConversationStatusChanged;
import dev.switchboard.events.MessageReceived;
import dev.switchboard.events.MessageSent;
import dev.switchboard.routing.assignment.Dispatcher;
import dev.switchboard.routing.window.ConversationWindows;
import dev.switchboard.support.consumer.EventProcessor;

/**
 * Applies the inbox's events once each, in one transaction per event: the window first,
 * then the assignment, so a conversation's window and its waiting customer never
 * disagree.
 */
@Configuration(proxyBeanMethods = false)
class InboxEventsConsumer {

	static final String CONSUMER = "routing.inbox-events";

	@Bean
	Consumer<Message<byte[]>> routeInboxEvents(EventProcessor processor, ConversationWindows windows,
			Dispatcher dispatcher) {
		return (message) -> processor.process(CONSUMER, message, (event) -> switch (event) {
			case MessageReceived received -> windows.customerWrote(received).then(dispatcher.customerWrote(received));
			case MessageSent sent -> dispatcher.agentReplied(sent);
			case ConversationStatusChanged changed -> dispatcher.statusChanged(changed);
			default -> Mono.empty();
		});
	}

}

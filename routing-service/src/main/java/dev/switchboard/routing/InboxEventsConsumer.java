package dev.switchboard.routing;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

import dev.switchboard.events.ConversationStatusChanged;
import dev.switchboard.events.MessageReceived;
import dev.switchboard.events.MessageSent;
import dev.switchboard.events.SwitchboardEvent;
import dev.switchboard.routing.assignment.BatchAssignments;
import dev.switchboard.routing.assignment.Dispatcher;
import dev.switchboard.routing.window.BatchWindows;
import dev.switchboard.routing.window.ConversationWindows;
import dev.switchboard.support.consumer.EventProcessor;

/**
 * Applies the inbox's events it acts on once each, a poll's batch in one transaction (the
 * others, statuses among them, are not even decoded): the windows of the batch's
 * conversations are read and locked together first, then the open assignments of the
 * conversations that only received messages are updated together; for each message the
 * window, then the assignment, so a conversation's window and its waiting customer never
 * disagree.
 */
@Configuration(proxyBeanMethods = false)
class InboxEventsConsumer {

	static final String CONSUMER = "routing.inbox-events";

	private static final Set<Class<? extends SwitchboardEvent>> HANDLED = Set.of(MessageReceived.class,
			MessageSent.class, ConversationStatusChanged.class);

	@Bean
	Consumer<Message<List<byte[]>>> routeInboxEvents(EventProcessor processor, ConversationWindows windows,
			Dispatcher dispatcher) {
		return (batch) -> {
			BatchWindows batchWindows = windows.batch();
			BatchAssignments assignments = dispatcher.batch();
			processor.processAll(CONSUMER, batch, (message) -> {
				if (EventProcessor.ofOtherType(message, HANDLED)) {
					return null;
				}
				EventProcessor.Envelope envelope = processor.envelope(CONSUMER, message);
				return switch (envelope.event()) {
					case MessageReceived received -> new EventProcessor.Work(envelope.id(), received,
							() -> windows.customerWrote(received, batchWindows)
								.then(dispatcher.customerWrote(received, assignments)));
					case MessageSent sent ->
						new EventProcessor.Work(envelope.id(), sent, () -> dispatcher.agentReplied(sent));
					case ConversationStatusChanged changed -> new EventProcessor.Work(envelope.id(), changed,
							() -> dispatcher.statusChanged(changed, assignments));
					default -> null;
				};
			}, (events) -> windows.load(batchWindows, events).then(dispatcher.prepare(assignments, events)));
		};
	}

}

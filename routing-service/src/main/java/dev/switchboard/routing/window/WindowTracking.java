package dev.switchboard.routing.window;

import java.util.function.Consumer;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;
import reactor.core.publisher.Mono;

import dev.switchboard.events.MessageReceived;
import dev.switchboard.support.consumer.EventProcessor;

/** Tracks each conversation's window from the inbox's events. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WindowProperties.class)
class WindowTracking {

	static final String CONSUMER = "routing.track-window";

	@Bean
	Consumer<Message<byte[]>> trackWindow(EventProcessor processor, ConversationWindows windows) {
		return (message) -> processor.process(CONSUMER, message, (event) -> switch (event) {
			case MessageReceived received -> windows.customerWrote(received);
			default -> Mono.empty();
		});
	}

}

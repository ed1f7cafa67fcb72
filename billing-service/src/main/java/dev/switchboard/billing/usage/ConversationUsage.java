package dev.switchboard.billing.usage;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.function.Consumer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

import dev.switchboard.events.MessageReceived;
import dev.switchboard.support.consumer.EventProcessor;

/** Records every conversation a tenant has, the basis of its usage. */
@Configuration(proxyBeanMethods = false)
class ConversationUsage {

	static final String CONSUMER = "billing.record-conversation";

	@Bean
	Consumer<Message<byte[]>> recordConversation(EventProcessor processor, DatabaseClient database, Clock clock) {
		return (message) -> processor.process(CONSUMER, message, (event) -> switch (event) {
			case MessageReceived received -> database
				.sql("""
						INSERT INTO tenant_conversation (conversation_id, tenant_id, first_message_at, recorded_at)
						VALUES (:conversation, :tenant, :sentAt, :now)
						ON CONFLICT (conversation_id)
						DO UPDATE SET first_message_at = LEAST(tenant_conversation.first_message_at, EXCLUDED.first_message_at)""")
				.bind("conversation", UUID.fromString(received.conversationId()))
				.bind("tenant", received.tenantId())
				.bind("sentAt", OffsetDateTime.ofInstant(received.sentAt(), ZoneOffset.UTC))
				.bind("now", OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
				.then();
			default -> Mono.empty();
		});
	}

}

package dev.switchboard.audit.log;

import java.util.function.Consumer;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;
import org.springframework.scheduling.annotation.EnableScheduling;

import dev.switchboard.events.EventTypes;
import dev.switchboard.support.consumer.EventProcessor;

/** Appends every platform event to its tenant's audit log, once per event id. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableConfigurationProperties(AuditProperties.class)
class AuditRecorder {

	static final String CONSUMER = "audit.record";

	@Bean
	Consumer<Message<byte[]>> recordAudit(EventProcessor processor, AuditLog log) {
		return (message) -> {
			EventProcessor.Envelope envelope = processor.envelope(CONSUMER, message);
			processor.process(CONSUMER, envelope.id(),
					() -> log
						.append(envelope.event().tenantId(), envelope.id(), EventTypes.of(envelope.event()).type(),
								envelope.event().conversationId(), envelope.time(), envelope.payload())
						.then());
		};
	}

}

package dev.switchboard.audit.log;

import java.util.List;
import java.util.function.Consumer;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;
import org.springframework.scheduling.annotation.EnableScheduling;
import reactor.core.publisher.Flux;

import dev.switchboard.events.EventTypes;
import dev.switchboard.support.consumer.EventProcessor;

/**
 * Appends every platform event (inbox, routing, billing and the service's own device
 * events) to its tenant's audit log, once per event id, with message bodies encrypted; in
 * the same transaction it updates what the service derives from the event (devices after
 * a plan change, message info, contacts).
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableConfigurationProperties(AuditProperties.class)
class AuditRecorder {

	static final String CONSUMER = "audit.record";

	@Bean
	Consumer<Message<List<byte[]>>> recordAudit(EventProcessor processor, AuditLog log, PersonalData personalData,
			List<EventProjection> projections) {
		return (batch) -> processor.processAll(CONSUMER, batch, (message) -> {
			EventProcessor.Envelope envelope = processor.envelope(CONSUMER, message);
			return new EventProcessor.Work(envelope.id(), envelope.event(),
					() -> Flux.fromIterable(projections)
						.concatMap((projection) -> projection.project(envelope.event()))
						.then(personalData.protect(envelope.id(), envelope.event(), envelope.payload()))
						.flatMap((payload) -> log.append(envelope.event().tenantId(), envelope.id(),
								EventTypes.of(envelope.event()).type(), envelope.event().conversationId(),
								envelope.time(), payload))
						.then());
		}, personalData::prepare);
	}

}

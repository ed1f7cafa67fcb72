package dev.switchboard.audit.log;

import reactor.core.publisher.Mono;

import dev.switchboard.events.SwitchboardEvent;

/**
 * A state the service derives from the platform's events (devices after a plan change,
 * message info, contacts). Applied by the audit consumer in the same transaction as the
 * log entry and the event's deduplication record.
 */
public interface EventProjection {

	/**
	 * Applies an event; ignores events it does not derive anything from.
	 * @param event the event
	 * @return completion
	 */
	Mono<Void> project(SwitchboardEvent event);

}

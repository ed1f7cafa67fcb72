package dev.switchboard.audit.log;

import java.util.List;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import dev.switchboard.events.SwitchboardEvent;

/**
 * Keeps personal data out of the log in the clear: message bodies are stored encrypted
 * with their contact's key, and read back only while that key exists.
 */
public interface PersonalData {

	/**
	 * Before a batch's events are {@link #protect protected}: makes sure, with one
	 * statement for the whole batch, that every contact whose message body the events
	 * carry has a live key, and keeps the keys for the batch.
	 * @param events the batch's events
	 * @return completion
	 */
	Mono<Void> prepare(List<SwitchboardEvent> events);

	/**
	 * The payload to store in the log for an event.
	 * @param eventId the event's id
	 * @param event the event
	 * @param payload its JSON as it travelled
	 * @return the JSON to store, bodies encrypted
	 */
	Mono<byte[]> protect(String eventId, SwitchboardEvent event, byte[] payload);

	/**
	 * A reader of a tenant's bodies, holding the tenant's keys as they are now.
	 * @param tenantId the tenant
	 * @return the reader
	 */
	Mono<BodyReader> reader(String tenantId);

	/** Reads the body an entry carries. */
	@FunctionalInterface
	interface BodyReader {

		Body body(AuditEntry entry);

	}

	/**
	 * A message body from the log.
	 *
	 * @param text the text, or {@code "erased"} when its key was destroyed, or null when
	 * the entry has no body
	 * @param erased whether the body was erased
	 */
	record Body(@Nullable String text, boolean erased) {

		public static final Body NONE = new Body(null, false);

		public static final Body ERASED = new Body("erased", true);

	}

}

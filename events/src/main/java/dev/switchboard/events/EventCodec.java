package dev.switchboard.events;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes and reads events as JSON. Readers ignore properties they do not know, so
 * producers may add optional fields without breaking older consumers.
 */
public final class EventCodec {

	private final JsonMapper mapper;

	public EventCodec() {
		this.mapper = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
	}

	public byte[] encode(SwitchboardEvent event) {
		return this.mapper.writeValueAsBytes(event);
	}

	/**
	 * Reads an event of the given CloudEvents type.
	 * @param type the {@code ce_type} header
	 * @param json the record value
	 * @return the event
	 * @throws MalformedEventException if the type is unknown or the JSON does not fit it
	 */
	public SwitchboardEvent decode(String type, byte[] json) {
		EventTypes.Registration registration = EventTypes.forType(type)
			.orElseThrow(() -> new MalformedEventException("Unknown event type '" + type + "'"));
		try {
			SwitchboardEvent event = this.mapper.readValue(json, registration.eventClass());
			if (event == null) {
				throw new MalformedEventException("Empty payload for event type '" + type + "'");
			}
			return event;
		}
		catch (JacksonException ex) {
			throw new MalformedEventException(
					"Payload does not match event type '" + type + "': " + ex.getOriginalMessage(), ex);
		}
	}

	/**
	 * An event that cannot be read: unknown type or a payload that does not fit its
	 * record.
	 */
	public static class MalformedEventException extends RuntimeException {

		public MalformedEventException(String message) {
			super(message);
		}

		public MalformedEventException(String message, Throwable cause) {
			super(message, cause);
		}

	}

}

package dev.switchboard.events;

import java.time.Instant;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ext.javatime.deser.InstantDeserializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

/**
 * Writes and reads events as JSON. Readers ignore properties they do not know, so
 * producers may add optional fields without breaking older consumers.
 */
public final class EventCodec {

	private final JsonMapper mapper;

	public EventCodec() {
		this.mapper = JsonMapper.builder()
			.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
			.addModule(new SimpleModule("switchboard-timestamps").addDeserializer(Instant.class,
					new TimestampDeserializer()))
			.build();
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
	 * Reads the events' timestamps in the form producers write them with
	 * {@link Timestamps}; anything else (an offset, an epoch number, an empty string, a
	 * malformed date) exactly as Jackson's own deserializer does.
	 */
	private static final class TimestampDeserializer extends ValueDeserializer<Instant> {

		@Override
		public Instant deserialize(JsonParser parser, DeserializationContext context) {
			Instant instant = parser.hasToken(JsonToken.VALUE_STRING) ? Timestamps.utc(parser.getString()) : null;
			return (instant != null) ? instant : InstantDeserializer.INSTANT.deserialize(parser, context);
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

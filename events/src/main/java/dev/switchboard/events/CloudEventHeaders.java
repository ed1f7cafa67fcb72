package dev.switchboard.events;

/**
 * CloudEvents Kafka protocol binding, binary content mode: the attributes travel as
 * {@code ce_*} headers and the record value is the event's JSON.
 */
public final class CloudEventHeaders {

	public static final String ID = "ce_id";

	public static final String TYPE = "ce_type";

	public static final String SOURCE = "ce_source";

	public static final String TIME = "ce_time";

	public static final String SPEC_VERSION = "ce_specversion";

	public static final String SUBJECT = "ce_subject";

	/** Extension attribute: the tenant the event belongs to. */
	public static final String TENANT = "ce_tenant";

	/** Extension attribute: W3C trace context of the request that caused the event. */
	public static final String TRACEPARENT = "ce_traceparent";

	public static final String CONTENT_TYPE = "content-type";

	public static final String SPEC_VERSION_1_0 = "1.0";

	public static final String JSON = "application/json";

	private CloudEventHeaders() {
	}

}

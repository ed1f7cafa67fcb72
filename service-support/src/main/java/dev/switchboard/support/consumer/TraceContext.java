package dev.switchboard.support.consumer;

import java.util.HashMap;
import java.util.Map;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.jspecify.annotations.Nullable;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * Carries the W3C trace context of the event being consumed into the reactive work it
 * causes, so that the outbox stores it and the relay sends it on with the events that
 * work publishes: one trace from the webhook through every service.
 */
public class TraceContext {

	private static final String KEY = "switchboard.traceparent";

	private final @Nullable Tracer tracer;

	private final @Nullable Propagator propagator;

	public TraceContext(@Nullable Tracer tracer, @Nullable Propagator propagator) {
		this.tracer = tracer;
		this.propagator = propagator;
	}

	/**
	 * The current span's {@code traceparent} (on the consuming thread), as a Reactor
	 * context.
	 * @return a context holding it, or an empty one without tracing
	 */
	public Context capture() {
		if (this.tracer == null || this.propagator == null) {
			return Context.empty();
		}
		Span span = this.tracer.currentSpan();
		if (span == null) {
			return Context.empty();
		}
		Map<String, String> carrier = new HashMap<>();
		this.propagator.inject(span.context(), carrier, Map::put);
		String traceparent = carrier.get("traceparent");
		return (traceparent != null) ? Context.of(KEY, traceparent) : Context.empty();
	}

	/**
	 * The {@code traceparent} a reactive chain carries.
	 * @param context the chain's context
	 * @return the header value, if any
	 */
	public static @Nullable String traceparent(ContextView context) {
		return context.getOrDefault(KEY, null);
	}

}

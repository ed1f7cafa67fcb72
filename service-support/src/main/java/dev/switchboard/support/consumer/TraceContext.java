package dev.switchboard.support.consumer;

import java.util.HashMap;
import java.util.Map;

import io.micrometer.observation.Observation;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.TracingObservationHandler;
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
	 * Starts the span of consuming one event, a child of the trace its
	 * {@code traceparent} header continues.
	 * @param name the span's name (the consumer)
	 * @param traceparent the event's W3C {@code traceparent}, if it has one
	 * @return the started span, or {@code null} without tracing or without a trace to
	 * continue
	 */
	public @Nullable Span start(String name, @Nullable String traceparent) {
		if (this.tracer == null || this.propagator == null || traceparent == null) {
			return null;
		}
		return this.propagator.extract(Map.of("traceparent", traceparent), Map::get)
			.name(name)
			.kind(Span.Kind.CONSUMER)
			.start();
	}

	/**
	 * A span's {@code traceparent} as a Reactor context, for the outbox to store with the
	 * events the work in that context publishes.
	 * @param span the span, if any
	 * @return a context holding it, or an empty one
	 */
	public Context context(@Nullable Span span) {
		String traceparent = traceparent(span);
		return (traceparent != null) ? Context.of(KEY, traceparent) : Context.empty();
	}

	/**
	 * The {@code traceparent} of the observation a reactive chain runs in, such as the
	 * HTTP server observation WebFlux puts into the context of every request. Read from
	 * the Reactor context itself, so it needs no automatic thread-local propagation.
	 * @param context the chain's context
	 * @return the header value, or {@code null} without tracing or an observation
	 */
	public @Nullable String observed(ContextView context) {
		Observation observation = context.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
		if (observation == null) {
			return null;
		}
		TracingObservationHandler.TracingContext tracing = observation.getContextView()
			.get(TracingObservationHandler.TracingContext.class);
		return (tracing != null) ? traceparent(tracing.getSpan()) : null;
	}

	private @Nullable String traceparent(@Nullable Span span) {
		if (span == null || this.propagator == null) {
			return null;
		}
		Map<String, String> carrier = new HashMap<>();
		this.propagator.inject(span.context(), carrier, Map::put);
		return carrier.get("traceparent");
	}

	/**
	 * Runs an action with a span current on this thread (so that log lines carry its
	 * trace id).
	 * @param span the span, if any
	 * @param action the action
	 */
	public void inScope(@Nullable Span span, Runnable action) {
		if (span == null || this.tracer == null) {
			action.run();
			return;
		}
		try (Tracer.SpanInScope scope = this.tracer.withSpan(span)) {
			action.run();
		}
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

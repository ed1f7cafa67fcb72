package dev.switchboard.support.tracing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpTracingAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.switchboard.testsupport.OtlpReceiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The tracing every service gets from service-support's dependencies, with Spring Boot's
 * own auto-configuration: spans go to an OTLP/HTTP collector only when
 * {@code management.opentelemetry.tracing.export.otlp.endpoint} names one, and otherwise
 * no exporter exists at all.
 */
class TracingExportTests {

	private final ApplicationContextRunner contexts = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class,
				MicrometerTracingAutoConfiguration.class, OpenTelemetrySdkAutoConfiguration.class,
				OpenTelemetryTracingAutoConfiguration.class, OtlpTracingAutoConfiguration.class))
		.withPropertyValues("spring.application.name=tracing-test", "management.tracing.sampling.probability=1.0");

	private OtlpReceiver receiver;

	@BeforeEach
	void startReceiver() throws Exception {
		this.receiver = OtlpReceiver.start();
	}

	@AfterEach
	void stopReceiver() {
		this.receiver.close();
	}

	@Test
	void whenAnOtlpEndpointIsSetThenSpansAreExportedToItOverHttp() {
		this.contexts
			.withPropertyValues("management.opentelemetry.tracing.export.otlp.endpoint=" + this.receiver.endpoint(),
					"management.opentelemetry.tracing.export.schedule-delay=100ms")
			.run((context) -> {
				assertThat(context).hasSingleBean(SpanExporter.class);
				String traceId = observe(context.getBean(ObservationRegistry.class), context.getBean(Tracer.class));
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(this.receiver.spans())
						.anySatisfy((span) -> assertThat(span).isEqualTo(new OtlpReceiver.ExportedSpan("tracing-test",
								"switchboard.test", traceId, "SPAN_KIND_INTERNAL"))));
			});
	}

	@Test
	void whenNoOtlpEndpointIsSetThenNothingIsExportedButTracesStillHaveIds() {
		this.contexts.run((context) -> {
			assertThat(context).doesNotHaveBean(SpanExporter.class);
			String traceId = observe(context.getBean(ObservationRegistry.class), context.getBean(Tracer.class));
			assertThat(traceId).hasSize(32).isNotEqualTo("0".repeat(32));
			assertThat(context.getBean(SdkTracerProvider.class).forceFlush().join(5, TimeUnit.SECONDS).isSuccess())
				.isTrue();
			assertThat(this.receiver.requests()).isZero();
		});
	}

	/** Runs an observation and answers the trace id it had. */
	private static String observe(ObservationRegistry observations, Tracer tracer) {
		String[] traceId = new String[1];
		Observation.createNotStarted("switchboard.test", observations)
			.observe(() -> traceId[0] = tracer.currentSpan().context().traceId());
		return traceId[0];
	}

}

package dev.switchboard.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * A small OTLP/HTTP trace receiver for tests, as a collector would be: it listens on
 * 127.0.0.1, takes the protobuf {@code ExportTraceServiceRequest}s POSTed to
 * {@code /v1/traces} and keeps the spans they carry.
 */
public final class OtlpReceiver implements AutoCloseable {

	private final HttpServer server;

	private final List<ExportedSpan> spans = new CopyOnWriteArrayList<>();

	private final AtomicInteger requests = new AtomicInteger();

	private OtlpReceiver(HttpServer server) {
		this.server = server;
	}

	/**
	 * Starts a receiver on a free port.
	 * @return the receiver
	 * @throws IOException if it cannot listen
	 */
	public static OtlpReceiver start() throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		OtlpReceiver receiver = new OtlpReceiver(server);
		server.createContext("/", receiver::handle);
		server.start();
		return receiver;
	}

	/**
	 * Where exporters send spans (the OTLP/HTTP traces path).
	 * @return the URL
	 */
	public String endpoint() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/v1/traces";
	}

	/**
	 * The spans received so far.
	 * @return the spans
	 */
	public List<ExportedSpan> spans() {
		return List.copyOf(this.spans);
	}

	/**
	 * How many requests arrived, on any path.
	 * @return the count
	 */
	public int requests() {
		return this.requests.get();
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

	private void handle(HttpExchange exchange) throws IOException {
		this.requests.incrementAndGet();
		try (exchange) {
			if (!"POST".equals(exchange.getRequestMethod()) || !"/v1/traces".equals(exchange.getRequestURI().getPath())
					|| !String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"))
						.startsWith("application/x-protobuf")) {
				exchange.sendResponseHeaders(404, -1);
				return;
			}
			ExportTraceServiceRequest request;
			try (InputStream body = "gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))
					? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody()) {
				request = ExportTraceServiceRequest.parseFrom(body);
			}
			for (ResourceSpans resource : request.getResourceSpansList()) {
				String service = resource.getResource()
					.getAttributesList()
					.stream()
					.filter((attribute) -> attribute.getKey().equals("service.name"))
					.map(KeyValue::getValue)
					.map((value) -> value.getStringValue())
					.findFirst()
					.orElse("");
				for (ScopeSpans scope : resource.getScopeSpansList()) {
					for (Span span : scope.getSpansList()) {
						this.spans.add(new ExportedSpan(service, span.getName(),
								HexFormat.of().formatHex(span.getTraceId().toByteArray()), span.getKind().name()));
					}
				}
			}
			byte[] response = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
			exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
			exchange.sendResponseHeaders(200, (response.length == 0) ? -1 : response.length);
			exchange.getResponseBody().write(response);
		}
	}

	/**
	 * A span as an exporter sent it.
	 *
	 * @param service its resource's {@code service.name}
	 * @param name the span's name
	 * @param traceId the trace id, 32 hex digits
	 * @param kind the span kind ({@code SPAN_KIND_SERVER}, ...)
	 */
	public record ExportedSpan(String service, String name, String traceId, String kind) {
	}

}

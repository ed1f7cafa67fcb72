package dev.switchboard.audit.witness;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The HTTP witness against a minimal witness that keeps what the documentation says one
 * keeps: one checkpoint per origin and size, never replaced.
 */
class HttpWitnessTests {

	private static final String ORIGIN = "switchboard.dev/audit/demo";

	private final Map<String, String> held = new ConcurrentHashMap<>();

	private HttpServer server;

	private boolean failing;

	@BeforeEach
	void start() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.createContext("/witness/checkpoints", this::handle);
		this.server.start();
	}

	@AfterEach
	void stop() {
		this.server.stop(0);
	}

	@Test
	void whenCheckpointsArePostedThenTheLatestIsReadBackAndADifferentOneAtTheSameSizeIsRefused() throws Exception {
		HttpWitness witness = new HttpWitness(url(), Duration.ofSeconds(2));
		assertThat(witness.latest(ORIGIN)).isEmpty();
		witness.add(checkpoint(3, 1), note(3, 1));
		witness.add(checkpoint(7, 2), note(7, 2));
		witness.add(checkpoint(7, 2), note(7, 2));
		assertThat(witness.latest(ORIGIN)).contains(note(7, 2));

		assertThatExceptionOfType(CheckpointConflictException.class)
			.isThrownBy(() -> witness.add(checkpoint(7, 3), note(7, 3)));
	}

	@Test
	void whenTheWitnessFailsThenAddAndLatestThrow() {
		this.failing = true;
		HttpWitness witness = new HttpWitness(url(), Duration.ofSeconds(2));
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> witness.add(checkpoint(1, 1), note(1, 1)))
			.withMessageContaining("503");
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> witness.latest(ORIGIN));
	}

	private URI url() {
		return URI.create("http://127.0.0.1:" + this.server.getAddress().getPort() + "/witness/");
	}

	private void handle(HttpExchange exchange) throws IOException {
		if (this.failing) {
			respond(exchange, 503, "");
			return;
		}
		String path = exchange.getRequestURI().getPath();
		if (exchange.getRequestMethod().equals("POST") && path.equals("/witness/checkpoints")) {
			String note = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			Checkpoint checkpoint = Checkpoint.parse(SignedNote.parse(note).text());
			String key = checkpoint.origin() + " " + checkpoint.treeSize();
			String before = this.held.putIfAbsent(key, note);
			respond(exchange, (before == null || before.equals(note)) ? 204 : 409, "");
		}
		else if (exchange.getRequestMethod().equals("GET") && path.equals("/witness/checkpoints/latest")) {
			String origin = java.net.URLDecoder.decode(exchange.getRequestURI().getRawQuery().substring(7),
					StandardCharsets.UTF_8);
			String latest = this.held.entrySet()
				.stream()
				.filter((entry) -> entry.getKey().startsWith(origin + " "))
				.max(java.util.Comparator
					.comparingLong((entry) -> Long.parseLong(entry.getKey().substring(origin.length() + 1))))
				.map(Map.Entry::getValue)
				.orElse(null);
			respond(exchange, (latest != null) ? 200 : 404, (latest != null) ? latest : "");
		}
		else {
			respond(exchange, 404, "");
		}
	}

	private static void respond(HttpExchange exchange, int status, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.sendResponseHeaders(status, (bytes.length == 0) ? -1 : bytes.length);
		if (bytes.length > 0) {
			exchange.getResponseBody().write(bytes);
		}
		exchange.close();
	}

	private static Checkpoint checkpoint(long size, int root) {
		byte[] hash = new byte[32];
		hash[31] = (byte) root;
		return new Checkpoint(ORIGIN, size, hash);
	}

	private static String note(long size, int root) {
		return checkpoint(size, root).text() + "\n\u2014 " + ORIGIN + " AAAAAAAA\n";
	}

}

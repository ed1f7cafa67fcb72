package dev.switchboard.audit.witness;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * A witness reached over HTTP, run by someone other than whoever runs the database. It is
 * expected to answer:
 * <ul>
 * <li>{@code POST <url>/checkpoints} with the signed note as the body
 * ({@code text/plain; charset=utf-8}): 2xx when stored or already held, {@code 409} when
 * it holds a different checkpoint of that origin and size (it never replaces one);</li>
 * <li>{@code GET <url>/checkpoints/latest?origin=<origin>}: {@code 200} with the note of
 * the largest tree size it holds for the origin, {@code 404} when it holds none.</li>
 * </ul>
 * A witness may check each new checkpoint's signature (the verifier key is in the audit
 * service's documentation) and its consistency with the previous one before storing it.
 */
public class HttpWitness implements CheckpointWitness {

	private static final String NOTE = "text/plain; charset=utf-8";

	private final URI url;

	private final Duration timeout;

	private final HttpClient http;

	public HttpWitness(URI url, Duration timeout) {
		String base = url.toString();
		this.url = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
		this.timeout = timeout;
		this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
	}

	@Override
	public void add(Checkpoint checkpoint, String note) throws IOException {
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.url + "/checkpoints"))
			.timeout(this.timeout)
			.header("Content-Type", NOTE)
			.POST(HttpRequest.BodyPublishers.ofString(note, StandardCharsets.UTF_8))
			.build();
		HttpResponse<String> response = send(request);
		if (response.statusCode() == 409) {
			throw new CheckpointConflictException("The witness at " + this.url + " holds a different checkpoint of "
					+ checkpoint.origin() + " at size " + checkpoint.treeSize());
		}
		if (response.statusCode() / 100 != 2) {
			throw new IOException("The witness at " + this.url + " answered " + response.statusCode());
		}
	}

	@Override
	public Optional<String> latest(String origin) throws IOException {
		HttpRequest request = HttpRequest
			.newBuilder(URI
				.create(this.url + "/checkpoints/latest?origin=" + URLEncoder.encode(origin, StandardCharsets.UTF_8)))
			.timeout(this.timeout)
			.header("Accept", "text/plain")
			.GET()
			.build();
		HttpResponse<String> response = send(request);
		if (response.statusCode() == 404) {
			return Optional.empty();
		}
		if (response.statusCode() != 200) {
			throw new IOException("The witness at " + this.url + " answered " + response.statusCode());
		}
		return Optional.of(response.body());
	}

	@Override
	public String description() {
		return "http " + this.url;
	}

	private HttpResponse<String> send(HttpRequest request) throws IOException {
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted while calling the witness at " + this.url, ex);
		}
	}

}

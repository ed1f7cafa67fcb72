package dev.switchboard.gateway.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.switchboard.gateway.security.Identity;
import dev.switchboard.gateway.security.ProblemResponses;

/**
 * {@code Idempotency-Key} for every POST of the API, whichever service handles it. The
 * first request with a key claims it, bound to a hash of its method, path and body; its
 * response is kept for the retention (24 hours) and replayed to retries with
 * {@code Idempotent-Replayed: true}. The same key with another request answers 422; while
 * the first is still running, 409. A response of 5xx releases the key so the client can
 * retry.
 * <p>
 * The body is read into memory to be hashed, so a body over the gateway's size limit
 * ({@code spring.codec.max-in-memory-size}) is refused with 413 before anything is
 * buffered or stored: at once by its {@code Content-Length}, and a chunked one as soon as
 * it passes the limit. A response marked {@code Cache-Control: no-store} (a new API key,
 * a CRM subscription's secret) is recorded without its body: a retry gets 409 instead of
 * the secret.
 */
@Component
@EnableConfigurationProperties(IdempotencyProperties.class)
class IdempotencyFilter implements WebFilter, Ordered {

	static final String HEADER = "Idempotency-Key";

	private final DatabaseClient database;

	private final ProblemResponses problems;

	private final Clock clock;

	private final Duration retention;

	private final int maxBodySize;

	IdempotencyFilter(DatabaseClient database, ProblemResponses problems, Clock clock, IdempotencyProperties properties,
			@Value("${spring.codec.max-in-memory-size:1MB}") DataSize maxBodySize) {
		this.database = database;
		this.problems = problems;
		this.clock = clock;
		this.retention = properties.retention();
		this.maxBodySize = Math.toIntExact(maxBodySize.toBytes());
	}

	@Override
	public int getOrder() {
		// After authentication (-100) and rate limits (0).
		return 10;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		String key = request.getHeaders().getFirst(HEADER);
		if (key == null || !HttpMethod.POST.equals(request.getMethod())
				|| !request.getPath().value().startsWith("/api/")) {
			return chain.filter(exchange);
		}
		if (key.isBlank() || key.length() > 255) {
			return this.problems.write(exchange, HttpStatus.BAD_REQUEST, HEADER + " must be 1 to 255 characters");
		}
		if (request.getHeaders().getContentLength() > this.maxBodySize) {
			return tooLarge(exchange);
		}
		return exchange.getPrincipal()
			.filter((principal) -> principal instanceof Authentication authentication
					&& authentication.getPrincipal() instanceof Identity)
			.map((principal) -> (Identity) ((Authentication) principal).getPrincipal())
			.flatMap((identity) -> read(request).flatMap((body) -> body.isPresent()
					? handle(exchange, chain, identity, key, body.get()) : tooLarge(exchange))
				.thenReturn(true))
			.switchIfEmpty(Mono.defer(() -> chain.filter(exchange).thenReturn(true)))
			.then();
	}

	/**
	 * The whole body, or empty when it passed the limit (a chunked body has no
	 * {@code Content-Length}): reading stops there and what was read is released.
	 */
	private Mono<Optional<byte[]>> read(ServerHttpRequest request) {
		return DataBufferUtils.join(request.getBody(), this.maxBodySize)
			.map((buffer) -> Optional.of(drain(buffer)))
			.defaultIfEmpty(Optional.of(new byte[0]))
			.onErrorResume(DataBufferLimitException.class, (ex) -> Mono.just(Optional.empty()));
	}

	private Mono<Void> tooLarge(ServerWebExchange exchange) {
		return this.problems.write(exchange, HttpStatus.CONTENT_TOO_LARGE,
				"The request body is larger than the limit of " + this.maxBodySize + " bytes");
	}

	private Mono<Void> handle(ServerWebExchange exchange, WebFilterChain chain, Identity identity, String key,
			byte[] body) {
		byte[] hash = hash(exchange.getRequest(), body);
		return claim(identity, key, hash).flatMap((claimed) -> {
			if (claimed) {
				return proceed(exchange, chain, identity, key, body);
			}
			return this.database
				.sql("SELECT request_hash, status, content_type, body, response_kept FROM idempotent_request"
						+ " WHERE tenant_id = :tenant AND subject = :subject AND idempotency_key = :key")
				.bind("tenant", identity.tenantId())
				.bind("subject", identity.subject())
				.bind("key", key)
				.map((row) -> new Stored(row.get("request_hash", byte[].class), row.get("status", Integer.class),
						row.get("content_type", String.class), row.get("body", byte[].class),
						Boolean.TRUE.equals(row.get("response_kept", Boolean.class))))
				.one()
				.map(Optional::of)
				.defaultIfEmpty(Optional.empty())
				// Not switchIfEmpty after the replay: a replay completes empty too.
				.flatMap((stored) -> stored.isPresent() ? replay(exchange, stored.get(), hash) : this.problems.write(
						exchange, HttpStatus.CONFLICT, "A request with this " + HEADER + " was just released; retry"));
		});
	}

	private Mono<Boolean> claim(Identity identity, String key, byte[] hash) {
		OffsetDateTime now = OffsetDateTime.ofInstant(this.clock.instant(), ZoneOffset.UTC);
		return this.database.sql("""
				INSERT INTO idempotent_request (tenant_id, subject, idempotency_key, request_hash, created_at)
				VALUES (:tenant, :subject, :key, :hash, :now)
				ON CONFLICT (tenant_id, subject, idempotency_key) DO UPDATE SET
				    request_hash = EXCLUDED.request_hash, status = NULL, content_type = NULL, body = NULL,
				    response_kept = TRUE, created_at = EXCLUDED.created_at, completed_at = NULL
				WHERE idempotent_request.created_at < :expired""")
			.bind("tenant", identity.tenantId())
			.bind("subject", identity.subject())
			.bind("key", key)
			.bind("hash", hash)
			.bind("now", now)
			.bind("expired", now.minus(this.retention))
			.fetch()
			.rowsUpdated()
			.map((rows) -> rows > 0);
	}

	/**
	 * Runs the request and records its response before the client gets it, so that a
	 * retry sent the moment the answer arrives finds it (or, after a 5xx, finds the key
	 * released).
	 */
	private Mono<Void> proceed(ServerWebExchange exchange, WebFilterChain chain, Identity identity, String key,
			byte[] body) {
		AtomicBoolean recorded = new AtomicBoolean();
		ServerHttpResponse response = exchange.getResponse();
		Function<byte @Nullable [], Mono<Void>> record = (written) -> Mono.defer(
				() -> recorded.compareAndSet(false, true) ? complete(identity, key, response, written) : Mono.empty());
		ServerHttpRequest replayable = new ServerHttpRequestDecorator(exchange.getRequest()) {
			@Override
			public Flux<DataBuffer> getBody() {
				return Flux.defer(() -> Flux.just(exchange.getResponse().bufferFactory().wrap(body)));
			}
		};
		ServerHttpResponseDecorator recording = new ServerHttpResponseDecorator(response) {
			@Override
			public Mono<Void> writeWith(Publisher<? extends DataBuffer> content) {
				// The headers are read before the commit, when Spring Security adds its
				// own
				// no-store to every answer.
				if (isSecret(this)) {
					return record.apply(null).then(super.writeWith(content));
				}
				return DataBufferUtils.join(Flux.from(content)).flatMap((buffer) -> {
					byte[] bytes = drain(buffer);
					return record.apply(bytes).then(super.writeWith(Mono.just(bufferFactory().wrap(bytes))));
				});
			}

			@Override
			public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> content) {
				return writeWith(Flux.from(content).flatMapSequential((part) -> part));
			}

			@Override
			public Mono<Void> setComplete() {
				return record.apply(isSecret(this) ? null : new byte[0]).then(super.setComplete());
			}
		};
		return chain.filter(exchange.mutate().request(replayable).response(recording).build())
			// Nothing was written: the status alone.
			.then(record.apply(new byte[0]))
			.onErrorResume((ex) -> release(identity, key).then(Mono.error(ex)));
	}

	private static boolean isSecret(ServerHttpResponse response) {
		return !response.isCommitted() && isNoStore(response.getHeaders());
	}

	/**
	 * Records the response.
	 * @param body what was written, or {@code null} when the response carried a secret
	 * and is not kept
	 */
	private Mono<Void> complete(Identity identity, String key, ServerHttpResponse response, byte @Nullable [] body) {
		HttpStatusCode status = (response.getStatusCode() != null) ? response.getStatusCode() : HttpStatus.OK;
		if (status.is5xxServerError()) {
			return release(identity, key);
		}
		MediaType contentType = (body != null) ? response.getHeaders().getContentType() : null;
		return this.database.sql("""
				UPDATE idempotent_request SET status = :status, content_type = :contentType, body = :body,
				    response_kept = :kept, completed_at = :now
				WHERE tenant_id = :tenant AND subject = :subject AND idempotency_key = :key""")
			.bind("status", status.value())
			.bind("contentType",
					Parameter.fromOrEmpty((contentType != null) ? contentType.toString() : null, String.class))
			.bind("body", Parameter.fromOrEmpty(body, byte[].class))
			.bind("kept", body != null)
			.bind("now", OffsetDateTime.ofInstant(this.clock.instant(), ZoneOffset.UTC))
			.bind("tenant", identity.tenantId())
			.bind("subject", identity.subject())
			.bind("key", key)
			.then();
	}

	private Mono<Void> release(Identity identity, String key) {
		return this.database
			.sql("DELETE FROM idempotent_request WHERE tenant_id = :tenant AND subject = :subject"
					+ " AND idempotency_key = :key AND completed_at IS NULL")
			.bind("tenant", identity.tenantId())
			.bind("subject", identity.subject())
			.bind("key", key)
			.then();
	}

	private Mono<Void> replay(ServerWebExchange exchange, Stored stored, byte[] hash) {
		if (!MessageDigest.isEqual(stored.requestHash(), hash)) {
			return this.problems.write(exchange, HttpStatus.UNPROCESSABLE_CONTENT,
					HEADER + " was already used for a different request");
		}
		if (stored.status() == null) {
			return this.problems.write(exchange, HttpStatus.CONFLICT,
					"A request with this " + HEADER + " is still in progress");
		}
		if (!stored.kept()) {
			return this.problems.write(exchange, HttpStatus.CONFLICT, "The request with this " + HEADER
					+ " was done; its response carried a secret and is not kept, so it cannot be replayed");
		}
		ServerHttpResponse response = exchange.getResponse();
		response.setStatusCode(HttpStatusCode.valueOf(stored.status()));
		response.getHeaders().set("Idempotent-Replayed", "true");
		if (stored.contentType() != null) {
			response.getHeaders().setContentType(MediaType.parseMediaType(stored.contentType()));
		}
		byte[] body = (stored.body() != null) ? stored.body() : new byte[0];
		return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
	}

	private static byte[] hash(ServerHttpRequest request, byte[] body) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			digest.update(
					(request.getMethod() + " " + request.getPath().value() + "\n").getBytes(StandardCharsets.UTF_8));
			digest.update(body);
			return digest.digest();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every JDK", ex);
		}
	}

	/** Whether the response says it must not be stored, as one carrying a secret does. */
	private static boolean isNoStore(HttpHeaders headers) {
		for (String value : headers.getValuesAsList(HttpHeaders.CACHE_CONTROL)) {
			if (value.trim().toLowerCase(Locale.ROOT).equals("no-store")) {
				return true;
			}
		}
		return false;
	}

	private static byte[] drain(DataBuffer buffer) {
		byte[] bytes = new byte[buffer.readableByteCount()];
		buffer.read(bytes);
		DataBufferUtils.release(buffer);
		return bytes;
	}

	private record Stored(byte[] requestHash, @Nullable Integer status, @Nullable String contentType,
			byte @Nullable [] body, boolean kept) {
	}

}

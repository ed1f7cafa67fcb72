package dev.switchboard.gateway.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
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
 * response is kept for 24 hours and replayed to retries with
 * {@code Idempotent-Replayed: true}. The same key with another request answers 422; while
 * the first is still running, 409. A response of 5xx releases the key so the client can
 * retry.
 */
@Component
class IdempotencyFilter implements WebFilter, Ordered {

	static final String HEADER = "Idempotency-Key";

	private static final Duration RETENTION = Duration.ofHours(24);

	private final DatabaseClient database;

	private final ProblemResponses problems;

	private final Clock clock;

	IdempotencyFilter(DatabaseClient database, ProblemResponses problems, Clock clock) {
		this.database = database;
		this.problems = problems;
		this.clock = clock;
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
		return exchange.getPrincipal()
			.filter((principal) -> principal instanceof Authentication authentication
					&& authentication.getPrincipal() instanceof Identity)
			.map((principal) -> (Identity) ((Authentication) principal).getPrincipal())
			.flatMap((identity) -> DataBufferUtils.join(request.getBody())
				.map(IdempotencyFilter::drain)
				.defaultIfEmpty(new byte[0])
				.flatMap((body) -> handle(exchange, chain, identity, key, body))
				.thenReturn(true))
			.switchIfEmpty(Mono.defer(() -> chain.filter(exchange).thenReturn(true)))
			.then();
	}

	private Mono<Void> handle(ServerWebExchange exchange, WebFilterChain chain, Identity identity, String key,
			byte[] body) {
		byte[] hash = hash(exchange.getRequest(), body);
		return claim(identity, key, hash).flatMap((claimed) -> {
			if (claimed) {
				return proceed(exchange, chain, identity, key, body);
			}
			return this.database
				.sql("SELECT request_hash, status, content_type, body FROM idempotent_request"
						+ " WHERE tenant_id = :tenant AND subject = :subject AND idempotency_key = :key")
				.bind("tenant", identity.tenantId())
				.bind("subject", identity.subject())
				.bind("key", key)
				.map((row) -> new Stored(row.get("request_hash", byte[].class), row.get("status", Integer.class),
						row.get("content_type", String.class), row.get("body", byte[].class)))
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
				    created_at = EXCLUDED.created_at, completed_at = NULL
				WHERE idempotent_request.created_at < :expired""")
			.bind("tenant", identity.tenantId())
			.bind("subject", identity.subject())
			.bind("key", key)
			.bind("hash", hash)
			.bind("now", now)
			.bind("expired", now.minus(RETENTION))
			.fetch()
			.rowsUpdated()
			.map((rows) -> rows > 0);
	}

	private Mono<Void> proceed(ServerWebExchange exchange, WebFilterChain chain, Identity identity, String key,
			byte[] body) {
		AtomicReference<byte[]> written = new AtomicReference<>(new byte[0]);
		ServerHttpRequest replayable = new ServerHttpRequestDecorator(exchange.getRequest()) {
			@Override
			public Flux<DataBuffer> getBody() {
				return Flux.defer(() -> Flux.just(exchange.getResponse().bufferFactory().wrap(body)));
			}
		};
		ServerHttpResponse response = exchange.getResponse();
		ServerHttpResponseDecorator recording = new ServerHttpResponseDecorator(response) {
			@Override
			public Mono<Void> writeWith(Publisher<? extends DataBuffer> content) {
				return DataBufferUtils.join(Flux.from(content)).flatMap((buffer) -> {
					byte[] bytes = drain(buffer);
					written.set(bytes);
					return super.writeWith(Mono.just(bufferFactory().wrap(bytes)));
				});
			}

			@Override
			public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> content) {
				return writeWith(Flux.from(content).flatMapSequential((part) -> part));
			}
		};
		return chain.filter(exchange.mutate().request(replayable).response(recording).build())
			.then(Mono.defer(() -> complete(identity, key, response, written.get())))
			.onErrorResume((ex) -> release(identity, key).then(Mono.error(ex)));
	}

	private Mono<Void> complete(Identity identity, String key, ServerHttpResponse response, byte[] body) {
		HttpStatusCode status = (response.getStatusCode() != null) ? response.getStatusCode() : HttpStatus.OK;
		if (status.is5xxServerError()) {
			return release(identity, key);
		}
		MediaType contentType = response.getHeaders().getContentType();
		return this.database.sql("""
				UPDATE idempotent_request SET status = :status, content_type = :contentType, body = :body,
				    completed_at = :now
				WHERE tenant_id = :tenant AND subject = :subject AND idempotency_key = :key""")
			.bind("status", status.value())
			.bind("contentType",
					Parameter.fromOrEmpty((contentType != null) ? contentType.toString() : null, String.class))
			.bind("body", body)
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

	private static byte[] drain(DataBuffer buffer) {
		byte[] bytes = new byte[buffer.readableByteCount()];
		buffer.read(bytes);
		DataBufferUtils.release(buffer);
		return bytes;
	}

	private record Stored(byte[] requestHash, @Nullable Integer status, @Nullable String contentType,
			byte @Nullable [] body) {
	}

}

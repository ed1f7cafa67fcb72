package dev.switchboard.gateway.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

import dev.switchboard.events.ConversationIds;
import dev.switchboard.events.SwitchboardEvent;
import dev.switchboard.events.WhatsAppMessageReceived;
import dev.switchboard.events.WhatsAppStatusReceived;
import dev.switchboard.gateway.tenant.GatewayProperties;
import dev.switchboard.gateway.tenant.TenantDirectory;
import dev.switchboard.support.consumer.TraceContext;

/**
 * Meta's WhatsApp Cloud API webhook endpoint: the verification challenge and the signed
 * notifications. A notification is acknowledged with 200 only once Kafka has it; anything
 * else makes Meta retry, and the {@code wamid} deduplication downstream absorbs the
 * retries.
 */
@RestController
@RequestMapping("/webhooks/whatsapp")
class WebhookController {

	static final String SIGNATURE_HEADER = "X-Hub-Signature-256";

	/** The one answer to every unsigned or wrongly signed webhook. */
	static final String UNAUTHORIZED_DETAIL = SIGNATURE_HEADER
			+ " must be sha256= and the HMAC-SHA256 of the raw body with the app secret";

	private static final Logger logger = LoggerFactory.getLogger(WebhookController.class);

	private final TenantDirectory tenants;

	private final WebhookParser parser;

	private final WebhookPublisher publisher;

	private final MeterRegistry meters;

	private final TraceContext traces;

	WebhookController(TenantDirectory tenants, WebhookParser parser, WebhookPublisher publisher, MeterRegistry meters,
			TraceContext traces) {
		this.tenants = tenants;
		this.parser = parser;
		this.publisher = publisher;
		this.meters = meters;
		this.traces = traces;
	}

	@GetMapping(produces = MediaType.TEXT_PLAIN_VALUE)
	ResponseEntity<String> verify(@RequestParam("hub.mode") String mode,
			@RequestParam("hub.verify_token") String verifyToken, @RequestParam("hub.challenge") String challenge) {
		if (!"subscribe".equals(mode) || !this.tenants.isVerifyToken(verifyToken)) {
			throw new WebhookRejectedException(HttpStatus.FORBIDDEN, "verification",
					"hub.mode must be subscribe and hub.verify_token a tenant's verify token");
		}
		return ResponseEntity.ok(challenge);
	}

	@PostMapping
	Mono<ResponseEntity<Void>> receive(
			@RequestHeader(name = SIGNATURE_HEADER, required = false) @Nullable String signature,
			@RequestBody byte[] body, ServerHttpRequest request) {
		Executor eventLoop = eventLoop(request);
		return Mono.deferContextual((context) -> {
			String traceparent = this.traces.observed(context);
			return Mono.fromCallable(() -> verified(signature, body))
				.flatMap((events) -> this.publisher.publish(events, traceparent, eventLoop))
				.doOnSuccess((done) -> {
					logger.debug("Webhook acknowledged by the broker (traceparent {})", traceparent);
					count("accepted");
				})
				.onErrorMap((ex) -> !(ex instanceof WebhookRejectedException), (ex) -> {
					logger.warn("Webhook not acknowledged by the broker (traceparent {})", traceparent, ex);
					return new WebhookRejectedException(HttpStatus.SERVICE_UNAVAILABLE, "broker_unavailable",
							"The event broker did not acknowledge the webhook; Meta will retry it");
				})
				.doOnError(WebhookRejectedException.class, (ex) -> count(ex.rejectionReason()))
				.thenReturn(ResponseEntity.ok().build());
		});
	}

	/**
	 * The Netty event loop that serves the request, where the answer is best written
	 * from; the calling thread when the server is not Reactor Netty.
	 */
	private static Executor eventLoop(ServerHttpRequest request) {
		Object nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request);
		return (nativeRequest instanceof Connection connection) ? connection.channel().eventLoop() : Runnable::run;
	}

	/**
	 * The signature first, on the raw bytes, before the body is parsed or a tenant looked
	 * up: any unsigned or wrongly signed body gets the same 401, whatever it names.
	 */
	private List<SwitchboardEvent> verified(@Nullable String signature, byte[] body) {
		if (!WebhookSignature.isWellFormed(signature)) {
			throw unauthorized("unsigned");
		}
		String appSecret = WebhookSignature.signer(this.tenants.appSecrets(), body, signature)
			.orElseThrow(() -> unauthorized("signature"));
		List<WebhookItem> items = this.parser.parse(body);
		Map<String, GatewayProperties.Tenant> byPhoneNumber = new LinkedHashMap<>();
		for (WebhookItem item : items) {
			byPhoneNumber.computeIfAbsent(item.phoneNumberId(),
					(id) -> this.tenants.byPhoneNumberId(id)
						.orElseThrow(() -> new WebhookRejectedException(HttpStatus.NOT_FOUND, "unknown_tenant",
								"No tenant has phone_number_id " + id)));
		}
		for (GatewayProperties.Tenant tenant : byPhoneNumber.values()) {
			// Signed by one tenant's Meta app, naming another's number.
			if (!MessageDigest.isEqual(tenant.appSecret().getBytes(StandardCharsets.UTF_8),
					appSecret.getBytes(StandardCharsets.UTF_8))) {
				throw unauthorized("signature");
			}
		}
		return items.stream().map((item) -> toEvent(byPhoneNumber.get(item.phoneNumberId()).id(), item)).toList();
	}

	private static WebhookRejectedException unauthorized(String reason) {
		return new WebhookRejectedException(HttpStatus.UNAUTHORIZED, reason, UNAUTHORIZED_DETAIL);
	}

	private static SwitchboardEvent toEvent(String tenantId, WebhookItem item) {
		String conversationId = ConversationIds.of(tenantId, item.waId());
		return switch (item) {
			case WebhookItem.Inbound in -> new WhatsAppMessageReceived(tenantId, conversationId, in.phoneNumberId(),
					in.waId(), in.profileName(), in.wamid(), in.type(), in.timestamp(), in.json());
			case WebhookItem.Status status ->
				new WhatsAppStatusReceived(tenantId, conversationId, status.phoneNumberId(), status.waId(),
						status.wamid(), status.status(), status.timestamp(), status.json());
		};
	}

	private void count(String outcome) {
		this.meters.counter("switchboard.webhooks.received", "outcome", outcome).increment();
	}

}

package dev.switchboard.gateway.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;

import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
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
import dev.switchboard.events.WhatsAppTemplateUpdated;
import dev.switchboard.gateway.tenant.GatewayProperties;
import dev.switchboard.gateway.tenant.TenantDirectory;
import dev.switchboard.support.consumer.TraceContext;

/**
 * Meta's WhatsApp Cloud API webhook endpoint: the verification challenge and the signed
 * notifications of every field. Messages, statuses and template updates are acknowledged
 * with 200 only once Kafka has them; anything else makes Meta retry, and the
 * deduplication downstream absorbs the retries. Other fields (account, quality, alerts,
 * ...) are counted, kept in {@code webhook_notice} and acknowledged: nothing acts on
 * them.
 */
@RestController
@RequestMapping("/webhooks/whatsapp")
class WebhookController {

	static final String SIGNATURE_HEADER = "X-Hub-Signature-256";

	/** The one answer to every unsigned or wrongly signed webhook. */
	static final String UNAUTHORIZED_DETAIL = SIGNATURE_HEADER
			+ " must be sha256= and the HMAC-SHA256 of the raw body with the app secret";

	/** Meta's WhatsApp Business Account webhook fields, the metric's tag values. */
	static final Set<String> KNOWN_FIELDS = Set.of("messages", "message_echoes", "message_template_status_update",
			"message_template_quality_update", "message_template_components_update", "template_category_update",
			"template_correct_category_detection", "account_update", "account_review_update", "account_alerts",
			"account_settings_update", "business_capability_update", "business_status_update",
			"phone_number_quality_update", "phone_number_name_update", "security", "flows", "history",
			"smb_app_state_sync", "smb_message_echoes", "user_preferences", "calls", "partner_solutions",
			"payment_configuration_update", "automatic_events", "tracking_events");

	private static final Logger logger = LoggerFactory.getLogger(WebhookController.class);

	private final TenantDirectory tenants;

	private final WebhookParser parser;

	private final WebhookPublisher publisher;

	private final MeterRegistry meters;

	private final TraceContext traces;

	private final WebhookNotices notices;

	WebhookController(TenantDirectory tenants, WebhookParser parser, WebhookPublisher publisher, MeterRegistry meters,
			TraceContext traces, WebhookNotices notices) {
		this.notices = notices;
		this.tenants = tenants;
		this.parser = parser;
		this.publisher = publisher;
		this.meters = meters;
		this.traces = traces;
	}

	@Operation(operationId = "verifyWhatsAppWebhook", summary = "Answer Meta's webhook verification challenge")
	@SecurityRequirements
	@ApiResponse(responseCode = "200", description = "The challenge, echoed",
			content = @Content(mediaType = MediaType.TEXT_PLAIN_VALUE, schema = @Schema(type = "string")))
	@ApiResponse(responseCode = "403", description = "hub.mode is not subscribe or hub.verify_token is no tenant's")
	@GetMapping(produces = MediaType.TEXT_PLAIN_VALUE)
	ResponseEntity<String> verify(@RequestParam("hub.mode") String mode,
			@RequestParam("hub.verify_token") String verifyToken, @RequestParam("hub.challenge") String challenge) {
		if (!"subscribe".equals(mode) || !this.tenants.isVerifyToken(verifyToken)) {
			throw new WebhookRejectedException(HttpStatus.FORBIDDEN, "verification",
					"hub.mode must be subscribe and hub.verify_token a tenant's verify token");
		}
		return ResponseEntity.ok(challenge);
	}

	@Operation(operationId = "receiveWhatsAppWebhook", summary = "Receive a webhook signed by Meta")
	@SecurityRequirements
	@ApiResponse(responseCode = "200",
			description = "Published to the event broker (or, for a field that is not "
					+ "subscribed, recorded and ignored)")
	@ApiResponse(responseCode = "401", description = "X-Hub-Signature-256 is missing or not the tenant's app secret's")
	@ApiResponse(responseCode = "404", description = "No tenant has the webhook's phone number or business account")
	@ApiResponse(responseCode = "503", description = "The event broker did not acknowledge it; Meta retries")
	@PostMapping
	Mono<ResponseEntity<Void>> receive(
			@RequestHeader(name = SIGNATURE_HEADER, required = false) @Nullable String signature,
			@io.swagger.v3.oas.annotations.parameters.RequestBody(
					description = "The webhook as Meta sends it, " + "signed byte for byte",
					content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
							schema = @Schema(type = "object"))) @RequestBody byte[] body,
			ServerHttpRequest request) {
		Executor eventLoop = eventLoop(request);
		return Mono.deferContextual((context) -> {
			String traceparent = this.traces.observed(context);
			return Mono.fromCallable(() -> verified(signature, body))
				.flatMap((verified) -> this.publisher.publish(verified.events(), traceparent, eventLoop)
					.then(this.notices.record(verified.notices()))
					.thenReturn(verified))
				.doOnSuccess((verified) -> {
					logger.debug("Webhook acknowledged by the broker (traceparent {})", traceparent);
					count("accepted");
					verified.fields().forEach(this::countField);
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
	 * up: any unsigned or wrongly signed body gets the same 401, whatever it names. Then
	 * each item's tenant, by phone number or by WhatsApp Business Account, which must be
	 * the one whose app signed it.
	 */
	private Verified verified(@Nullable String signature, byte[] body) {
		if (!WebhookSignature.isWellFormed(signature)) {
			throw unauthorized("unsigned");
		}
		String appSecret = WebhookSignature.signer(this.tenants.appSecrets(), body, signature)
			.orElseThrow(() -> unauthorized("signature"));
		List<WebhookItem> items = this.parser.parse(body);
		List<SwitchboardEvent> events = new ArrayList<>();
		List<WebhookNotices.Owned> notices = new ArrayList<>();
		List<String> fields = new ArrayList<>();
		for (WebhookItem item : items) {
			switch (item) {
				case WebhookItem.OfPhoneNumber message -> {
					GatewayProperties.Tenant tenant = signedBy(
							this.tenants.byPhoneNumberId(message.phoneNumberId())
								.orElseThrow(() -> unknownTenant("phone_number_id " + message.phoneNumberId())),
							appSecret);
					events.add(toEvent(tenant.id(), message));
					fields.add(WebhookParser.MESSAGES);
				}
				case WebhookItem.TemplateUpdate update -> {
					GatewayProperties.Tenant tenant = signedBy(
							this.tenants.byWabaId(update.wabaId())
								.orElseThrow(() -> unknownTenant("WhatsApp Business Account id " + update.wabaId())),
							appSecret);
					events.add(new WhatsAppTemplateUpdated(tenant.id(), update.wabaId(), update.field(),
							update.templateId(), update.name(), update.language(), update.status(), update.category(),
							update.quality(), update.reason(), update.timestamp(), update.json()));
					fields.add(update.field());
				}
				case WebhookItem.Notice notice -> {
					// Recorded even when no tenant names the account: nothing acts on it.
					Optional<GatewayProperties.Tenant> tenant = this.tenants.byWabaId(notice.wabaId())
						.map((owner) -> signedBy(owner, appSecret));
					notices
						.add(new WebhookNotices.Owned(tenant.map(GatewayProperties.Tenant::id).orElse(null), notice));
					fields.add(notice.field());
				}
			}
		}
		return new Verified(events, notices, fields);
	}

	/** Refuses an item of one tenant's number or account signed by another's Meta app. */
	private static GatewayProperties.Tenant signedBy(GatewayProperties.Tenant tenant, String appSecret) {
		if (!MessageDigest.isEqual(tenant.appSecret().getBytes(StandardCharsets.UTF_8),
				appSecret.getBytes(StandardCharsets.UTF_8))) {
			throw unauthorized("signature");
		}
		return tenant;
	}

	private static WebhookRejectedException unknownTenant(String what) {
		return new WebhookRejectedException(HttpStatus.NOT_FOUND, "unknown_tenant", "No tenant has " + what);
	}

	private static WebhookRejectedException unauthorized(String reason) {
		return new WebhookRejectedException(HttpStatus.UNAUTHORIZED, reason, UNAUTHORIZED_DETAIL);
	}

	private static SwitchboardEvent toEvent(String tenantId, WebhookItem.OfPhoneNumber item) {
		String conversationId = ConversationIds.of(tenantId, item.waId());
		return switch (item) {
			case WebhookItem.Inbound in -> new WhatsAppMessageReceived(tenantId, conversationId, in.phoneNumberId(),
					in.waId(), in.profileName(), in.wamid(), in.type(), in.timestamp(), in.json());
			case WebhookItem.Status status -> new WhatsAppStatusReceived(tenantId, conversationId,
					status.phoneNumberId(), status.waId(), status.wamid(), status.status(), status.timestamp(),
					status.json(), status.errors(), status.pricing());
		};
	}

	private void count(String outcome) {
		this.meters.counter("switchboard.webhooks.received", "outcome", outcome).increment();
	}

	/**
	 * One count per accepted item, by field: Meta's field names, any other as "other".
	 */
	private void countField(String field) {
		this.meters.counter("switchboard.webhooks.fields", "field", KNOWN_FIELDS.contains(field) ? field : "other")
			.increment();
	}

	/**
	 * What one accepted webhook gives: the events to publish, the notices to record, the
	 * field of each item.
	 */
	private record Verified(List<SwitchboardEvent> events, List<WebhookNotices.Owned> notices, List<String> fields) {

	}

}

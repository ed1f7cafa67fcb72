package dev.switchboard.inbox.outbound;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.postgresql.codec.Json;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.switchboard.events.TimeOrderedIds;
import dev.switchboard.support.web.Caller;

/**
 * Takes an agent's message into the send queue after the rules allow it: a registered,
 * active device of the agent; a contact that is not blocked and has opted in; free-form
 * only inside the 24-hour window, templates only when approved. A refused message stores
 * nothing and is counted by reason.
 */
@Service
public class Sending {

	private final DatabaseClient database;

	private final TransactionalOperator transactions;

	private final JsonMapper json;

	private final Clock clock;

	private final MeterRegistry meters;

	private final Sender sender;

	Sending(DatabaseClient database, TransactionalOperator transactions, JsonMapper json, Clock clock,
			MeterRegistry meters, Sender sender) {
		this.database = database;
		this.transactions = transactions;
		this.json = json;
		this.clock = clock;
		this.meters = meters;
		this.sender = sender;
	}

	Mono<Queued> send(Caller caller, @Nullable String deviceId, UUID conversationId, OutboundRequest request) {
		Instant now = this.clock.instant();
		return target(caller.tenantId(), conversationId)
			.switchIfEmpty(Mono.error(() -> refused(HttpStatus.NOT_FOUND, "conversation-not-found",
					"No conversation " + conversationId + " in this tenant")))
			.flatMap((target) -> checkDevice(caller, deviceId).then(Mono.defer(() -> {
				if (target.blocked()) {
					return Mono.error(refused(HttpStatus.CONFLICT, "contact-blocked",
							"The contact is blocked: unblock them before sending anything"));
				}
				if (!"OPTED_IN".equals(target.optInState())) {
					return Mono.error(refused(HttpStatus.CONFLICT, "not-opted-in",
							"The contact has not opted in to messages from this business (state " + target.optInState()
									+ ")"));
				}
				if (target.phoneNumberId() == null) {
					return Mono.error(refused(HttpStatus.CONFLICT, "no-business-number",
							"The conversation has no business phone number yet: the customer must write first"));
				}
				return content(caller.tenantId(), request, target, now);
			})))
			.flatMap((content) -> store(caller, Objects.requireNonNull(deviceId), conversationId, content, now)
				.as(this.transactions::transactional))
			.doOnSuccess((queued) -> {
				this.meters.counter("switchboard.inbox.messages.out", "kind", request.type(), "status", "queued")
					.increment();
				this.sender.signal();
			})
			.doOnError(SendRefused.class,
					(ex) -> this.meters.counter("switchboard.inbox.sends.refused", "reason", ex.reason()).increment());
	}

	private Mono<Void> checkDevice(Caller caller, @Nullable String deviceId) {
		if (deviceId == null || deviceId.isBlank()) {
			return Mono.error(refused(HttpStatus.BAD_REQUEST, "device-required",
					"Name the device you send from in the X-Device-Id header (register it under /api/v1/devices)"));
		}
		return this.database
			.sql("SELECT agent_id, state, name FROM device WHERE tenant_id = :tenant AND device_id = :id")
			.bind("tenant", caller.tenantId())
			.bind("id", deviceId)
			.map((row) -> new Device(Objects.requireNonNull(row.get("agent_id", String.class)),
					Objects.requireNonNull(row.get("state", String.class)),
					Objects.requireNonNull(row.get("name", String.class))))
			.one()
			.switchIfEmpty(Mono.error(() -> refused(HttpStatus.FORBIDDEN, "device-unknown",
					"Device " + deviceId + " is not registered in this tenant")))
			.flatMap((device) -> {
				if (!device.agentId().equals(caller.subject())) {
					return Mono.error(refused(HttpStatus.FORBIDDEN, "device-not-yours",
							"Device \"" + device.name() + "\" is registered to another agent"));
				}
				if ("REVOKED".equals(device.state())) {
					return Mono.error(refused(HttpStatus.FORBIDDEN, "device-revoked",
							"Device \"" + device.name() + "\" was revoked and can send nothing more"));
				}
				if (!"ACTIVE".equals(device.state())) {
					return Mono.error(refused(HttpStatus.FORBIDDEN, "device-suspended", "Device \"" + device.name()
							+ "\" is over the plan's device limit: the owner must revoke a device or upgrade"));
				}
				return Mono.empty();
			});
	}

	private Mono<Content> content(String tenantId, OutboundRequest request, Target target, Instant now) {
		boolean windowOpen = target.windowExpiresAt() != null && now.isBefore(target.windowExpiresAt());
		ObjectNode payload = this.json.createObjectNode()
			.put("messaging_product", "whatsapp")
			.put("recipient_type", "individual")
			.put("to", target.waId());
		switch (request.type()) {
			case "template" -> {
				OutboundRequest.Template template = request.template();
				if (template == null) {
					return Mono.error(invalid("A template message needs template.name and template.language"));
				}
				return this.database.sql("""
						SELECT category, status FROM template WHERE tenant_id = :tenant AND name = :name
						AND language = :language""")
					.bind("tenant", tenantId)
					.bind("name", template.name())
					.bind("language", template.language())
					.map((row) -> new String[] { row.get("category", String.class), row.get("status", String.class) })
					.one()
					.filter((found) -> "APPROVED".equals(found[1]))
					.switchIfEmpty(Mono.error(() -> refused(HttpStatus.UNPROCESSABLE_CONTENT, "template-not-approved",
							"No approved template " + template.name() + " (" + template.language()
									+ ") in this tenant: register it under /api/v1/templates")))
					.map((found) -> {
						ObjectNode node = payload.put("type", "template").putObject("template");
						node.put("name", template.name()).putObject("language").put("code", template.language());
						if (template.components() != null) {
							node.set("components", this.json.valueToTree(template.components()));
						}
						return new Content("template", null, template.name(), found[0], payload);
					});
			}
			case "media" -> {
				OutboundRequest.Media media = request.media();
				if (media == null) {
					return Mono.error(invalid("A media message needs media.kind and media.id"));
				}
				if (!windowOpen) {
					return Mono.error(windowClosed(target));
				}
				ObjectNode node = payload.put("type", media.kind()).putObject(media.kind()).put("id", media.id());
				if (media.caption() != null && !"audio".equals(media.kind()) && !"sticker".equals(media.kind())) {
					node.put("caption", media.caption());
				}
				return Mono.just(new Content("media", media.caption(), null, null, payload));
			}
			default -> {
				String text = request.text();
				if (text == null || text.isBlank()) {
					return Mono.error(invalid("A text message needs a non-blank text"));
				}
				if (!windowOpen) {
					return Mono.error(windowClosed(target));
				}
				return expand(tenantId, text).map((body) -> {
					payload.put("type", "text").putObject("text").put("preview_url", false).put("body", body);
					return new Content("text", body, null, null, payload);
				});
			}
		}
	}

	/** {@code /shortcut rest} becomes the saved text followed by the rest. */
	private Mono<String> expand(String tenantId, String text) {
		if (!text.startsWith("/")) {
			return Mono.just(text);
		}
		int end = 1;
		while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
			end++;
		}
		String shortcut = text.substring(1, end);
		String rest = text.substring(end);
		return this.database.sql("SELECT text FROM quick_reply WHERE tenant_id = :tenant AND shortcut = :shortcut")
			.bind("tenant", tenantId)
			.bind("shortcut", shortcut)
			.map((row) -> Objects.requireNonNull(row.get("text", String.class)) + rest)
			.one()
			.switchIfEmpty(Mono.error(() -> refused(HttpStatus.UNPROCESSABLE_CONTENT, "unknown-quick-reply",
					"No quick reply /" + shortcut + " in this tenant")));
	}

	private Mono<Queued> store(Caller caller, String deviceId, UUID conversationId, Content content, Instant now) {
		UUID id = TimeOrderedIds.next(this.clock);
		String request = this.json.writeValueAsString(content.payload());
		return this.database
			.sql("""
					INSERT INTO message (id, tenant_id, conversation_id, direction, type, body, content, created_at, status,
					                     agent_id, device_id, kind, template_name, template_category, graph_request,
					                     next_attempt_at)
					VALUES (:id, :tenant, :conversation, 'OUTBOUND', :type, :body, :content, :now, 'QUEUED', :agent, :device,
					        :kind, :templateName, :templateCategory, :content, :now)""")
			.bind("id", id)
			.bind("tenant", caller.tenantId())
			.bind("conversation", conversationId)
			.bind("type", content.payload().path("type").asString())
			.bind("body", Parameter.fromOrEmpty(content.body(), String.class))
			.bind("content", Json.of(request))
			.bind("now", Times.utc(now))
			.bind("agent", caller.subject())
			.bind("device", deviceId)
			.bind("kind", content.kind())
			.bind("templateName", Parameter.fromOrEmpty(content.templateName(), String.class))
			.bind("templateCategory", Parameter.fromOrEmpty(content.templateCategory(), String.class))
			.then()
			.then(this.database.sql("""
					UPDATE conversation SET unread_count = 0, last_message_at = GREATEST(last_message_at, :now),
					    last_message_text = COALESCE(:text, last_message_text) WHERE id = :id""")
				.bind("now", Times.utc(now))
				.bind("text", Parameter.fromOrEmpty(content.body(), String.class))
				.bind("id", conversationId)
				.then())
			.thenReturn(new Queued(id.toString(), conversationId.toString(), "QUEUED", content.kind(), content.body(),
					now));
	}

	private Mono<Target> target(String tenantId, UUID conversationId) {
		return this.database.sql("""
				SELECT c.phone_number_id, r.window_expires_at, k.wa_id, k.blocked, k.opt_in_state
				FROM conversation c JOIN contact k ON k.id = c.contact_id
				LEFT JOIN routing_view r ON r.conversation_id = c.id AND r.tenant_id = c.tenant_id
				WHERE c.id = :id AND c.tenant_id = :tenant""")
			.bind("id", conversationId)
			.bind("tenant", tenantId)
			.map((row) -> {
				java.time.OffsetDateTime expires = row.get("window_expires_at", java.time.OffsetDateTime.class);
				return new Target(row.get("phone_number_id", String.class),
						(expires != null) ? expires.toInstant() : null,
						Objects.requireNonNull(row.get("wa_id", String.class)),
						Boolean.TRUE.equals(row.get("blocked", Boolean.class)),
						Objects.requireNonNull(row.get("opt_in_state", String.class)));
			})
			.one();
	}

	private static SendRefused windowClosed(Target target) {
		return refused(HttpStatus.CONFLICT, "window-closed",
				(target.windowExpiresAt() == null)
						? "The customer has no open 24-hour window: send an approved template"
						: "The customer's 24-hour window closed at " + target.windowExpiresAt()
								+ ": only approved templates may be sent");
	}

	private static SendRefused invalid(String detail) {
		return refused(HttpStatus.BAD_REQUEST, "invalid-message", detail);
	}

	private static SendRefused refused(HttpStatus status, String reason, String detail) {
		return new SendRefused(status, reason, detail);
	}

	private record Target(@Nullable String phoneNumberId, @Nullable Instant windowExpiresAt, String waId,
			boolean blocked, String optInState) {

	}

	private record Device(String agentId, String state, String name) {

	}

	private record Content(String kind, @Nullable String body, @Nullable String templateName,
			@Nullable String templateCategory, ObjectNode payload) {

	}

	/**
	 * A message taken into the send queue.
	 *
	 * @param id the message id
	 * @param conversationId the conversation
	 * @param status {@code QUEUED}
	 * @param kind {@code text}, {@code media} or {@code template}
	 * @param body the text as it will be sent (quick replies expanded), or the caption
	 * @param createdAt when it was queued
	 */
	public record Queued(String id, String conversationId, String status, String kind, @Nullable String body,
			Instant createdAt) {

	}

}

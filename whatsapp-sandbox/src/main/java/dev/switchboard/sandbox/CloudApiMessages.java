package dev.switchboard.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Cloud API's {@code POST /{version}/{phone-number-id}/messages} as Meta answers it:
 * the bearer token and the shape checked, a {@code wamid} answered, then the statuses
 * posted as signed webhooks a tick apart ({@code sent}, {@code delivered}, {@code read}
 * with Meta's {@code pricing}; or one {@code failed}). Faults asked for are answered
 * first.
 */
final class CloudApiMessages implements AutoCloseable {

	private static final Set<String> TYPES = Set.of("text", "image", "audio", "video", "document", "sticker",
			"location", "contacts", "interactive", "template", "reaction");

	private final WhatsAppSandbox.Settings settings;

	private final JsonExchanges exchanges;

	private final SignedWebhooks webhooks;

	private final TemplateReviews templates;

	private final ScheduledExecutorService callbacks = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "sandbox-webhooks");
		thread.setDaemon(true);
		return thread;
	});

	private final List<WhatsAppSandbox.Sent> sent = new CopyOnWriteArrayList<>();

	private final Deque<Integer> faults = new ArrayDeque<>();

	private final Set<String> failingRecipients = ConcurrentHashMap.newKeySet();

	CloudApiMessages(WhatsAppSandbox.Settings settings, JsonExchanges exchanges, SignedWebhooks webhooks,
			TemplateReviews templates) {
		this.settings = settings;
		this.exchanges = exchanges;
		this.webhooks = webhooks;
		this.templates = templates;
		this.failingRecipients.addAll(settings.failingRecipients());
	}

	/**
	 * @return every send accepted or refused, oldest first
	 */
	List<WhatsAppSandbox.Sent> sent() {
		return List.copyOf(this.sent);
	}

	void failNext(int status, int count) {
		synchronized (this.faults) {
			for (int i = 0; i < count; i++) {
				this.faults.add(status);
			}
		}
	}

	void failRecipient(String waId) {
		this.failingRecipients.add(waId);
	}

	void send(HttpExchange exchange, String phoneNumberId) throws IOException {
		Instant received = Instant.now();
		String authorization = exchange.getRequestHeaders().getFirst("Authorization");
		if (!("Bearer " + this.settings.accessToken()).equals(authorization)) {
			this.exchanges.respond(exchange, 401, this.exchanges.error(190, "Invalid OAuth access token"));
			return;
		}
		JsonNode request = this.exchanges.read(exchange);
		String to = request.path("to").asString("");
		String type = request.path("type").asString("text");
		if (!"whatsapp".equals(request.path("messaging_product").asString(null)) || !to.matches("[0-9]{6,20}")
				|| !TYPES.contains(type) || !request.path(type).isObject()) {
			this.sent.add(new WhatsAppSandbox.Sent(phoneNumberId, to, type, request.toString(), null, 400, received));
			this.exchanges.respond(exchange, 400, this.exchanges.error(100,
					"Invalid parameter: messaging_product, to and a " + type + " object are required"));
			return;
		}
		Integer fault;
		synchronized (this.faults) {
			fault = this.faults.poll();
		}
		if (fault != null) {
			this.sent.add(new WhatsAppSandbox.Sent(phoneNumberId, to, type, request.toString(), null, fault, received));
			if (fault == 429) {
				exchange.getResponseHeaders().add("Retry-After", "1");
				this.exchanges.respond(exchange, 429, this.exchanges.error(130429, "Rate limit hit"));
			}
			else {
				this.exchanges.respond(exchange, fault, this.exchanges.error(131000, "Something went wrong"));
			}
			return;
		}
		String wamid = wamid();
		this.sent.add(new WhatsAppSandbox.Sent(phoneNumberId, to, type, request.toString(), wamid, 200, received));
		ObjectNode answer = this.exchanges.json().createObjectNode().put("messaging_product", "whatsapp");
		answer.putArray("contacts").addObject().put("input", to).put("wa_id", to);
		answer.putArray("messages").addObject().put("id", wamid);
		this.exchanges.respond(exchange, 200, answer);
		if (this.webhooks.enabled()) {
			boolean fails = this.failingRecipients.contains(to)
					|| "sandbox:fail".equals(request.path("biz_opaque_callback_data").asString(null));
			scheduleStatuses(phoneNumberId, to, wamid, pricing(type, request), fails);
		}
	}

	private void scheduleStatuses(String phoneNumberId, String to, String wamid, Webhooks.Pricing pricing,
			boolean fails) {
		List<String> ticks = fails ? List.of("failed") : List.of("sent", "delivered", "read");
		for (int i = 0; i < ticks.size(); i++) {
			String status = ticks.get(i);
			Webhooks.Pricing priced = ("sent".equals(status) || "delivered".equals(status)) ? pricing : null;
			this.callbacks.schedule(
					() -> this.webhooks.post(Webhooks.status(phoneNumberId, to, wamid, status, Instant.now(), priced)),
					this.settings.tick().toMillis() * (i + 1), TimeUnit.MILLISECONDS);
		}
	}

	/**
	 * How Meta would price the send: a template by the category it was reviewed with
	 * (utility if never reviewed here), any other message as a free service message.
	 */
	private Webhooks.Pricing pricing(String type, JsonNode request) {
		if (!"template".equals(type)) {
			return new Webhooks.Pricing(false, "service", "free_customer_service");
		}
		String category = this.templates.category(request.path("template").path("name").asString(""),
				request.path("template").path("language").path("code").asString(""));
		return new Webhooks.Pricing(true, category.toLowerCase(Locale.ROOT), "regular");
	}

	/**
	 * @return a new message id in the shape of Meta's
	 */
	static String wamid() {
		return "wamid.SBX" + Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
	}

	@Override
	public void close() {
		this.callbacks.shutdownNow();
	}

}

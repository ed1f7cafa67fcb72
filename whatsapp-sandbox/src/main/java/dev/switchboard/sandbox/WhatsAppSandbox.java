package dev.switchboard.sandbox;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A local WhatsApp Cloud API. {@code POST /{version}/{phone-number-id}/messages} takes
 * Meta's send JSON, checks the bearer token and the shape, answers a {@code wamid}, and
 * then calls the webhook with signed {@code sent}, {@code delivered} and {@code read}
 * statuses (with Meta's {@code pricing}), or one signed {@code failed} status with Meta's
 * {@code errors[]} for a failing recipient ({@code SANDBOX_FAILING_RECIPIENTS},
 * {@code POST /sandbox/failing-recipients}) or a send whose
 * {@code biz_opaque_callback_data} is {@code sandbox:fail}. {@code POST
 * /sandbox/customers/{wa-id}/messages} plays a customer writing in;
 * {@code POST /sandbox/templates} plays Meta's template review (a signed
 * {@code message_template_status_update}, or {@code message_template_quality_update} with
 * {@code quality}); {@code POST /sandbox/faults} makes the next sends fail with 500 or
 * Meta's rate-limit error; {@code GET /sandbox/messages} lists what was sent.
 */
public final class WhatsAppSandbox implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(WhatsAppSandbox.class);

	private static final Pattern SEND_PATH = Pattern.compile("^/(v[0-9.]+)/([^/]+)/messages$");

	private static final Pattern CUSTOMER_PATH = Pattern.compile("^/sandbox/customers/([0-9]{6,20})/messages$");

	private final JsonExchanges exchanges = new JsonExchanges(JsonMapper.builder().build());

	private final Settings settings;

	private final HttpServer server;

	private final SignedWebhooks webhooks;

	private final TemplateReviews templates = new TemplateReviews();

	private final CloudApiMessages messages;

	private WhatsAppSandbox(Settings settings, String bindAddress) throws IOException {
		this.settings = settings;
		this.webhooks = new SignedWebhooks(settings.webhookUrl(), settings.appSecret());
		this.messages = new CloudApiMessages(settings, this.exchanges, this.webhooks, this.templates);
		this.server = HttpServer.create(new InetSocketAddress(bindAddress, settings.port()), 0);
		this.server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		this.server.createContext("/", this::handle);
	}

	/**
	 * Starts a sandbox.
	 * @param settings how
	 * @return the running sandbox
	 */
	public static WhatsAppSandbox start(Settings settings) {
		return start(settings, "127.0.0.1");
	}

	/**
	 * Starts a sandbox on an address of this machine's.
	 * @param settings how
	 * @param bindAddress where it listens: 127.0.0.1, or all interfaces (0.0.0.0) in a
	 * container that others reach
	 * @return the running sandbox
	 */
	public static WhatsAppSandbox start(Settings settings, String bindAddress) {
		try {
			WhatsAppSandbox sandbox = new WhatsAppSandbox(settings, bindAddress);
			sandbox.server.start();
			return sandbox;
		}
		catch (IOException ex) {
			throw new IllegalStateException("The WhatsApp sandbox cannot listen on port " + settings.port(), ex);
		}
	}

	public static void main(String[] args) throws InterruptedException {
		Map<String, String> environment = System.getenv();
		try (WhatsAppSandbox sandbox = start(Settings.of(environment),
				env(environment, "SANDBOX_BIND_ADDRESS", "127.0.0.1"))) {
			logger.info("WhatsApp sandbox on {}", sandbox.url());
			Thread.currentThread().join();
		}
	}

	/**
	 * Where the sandbox listens (the Graph API base URL to configure).
	 * @return {@code http://127.0.0.1:<port>}
	 */
	public String url() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	/**
	 * Every send the sandbox accepted or refused, oldest first.
	 * @return the sends
	 */
	public List<Sent> sent() {
		return this.messages.sent();
	}

	/**
	 * Makes the next sends fail.
	 * @param status 500 (server error) or 429 (Meta's rate limit, error 130429)
	 * @param count how many sends
	 */
	public void failNext(int status, int count) {
		this.messages.failNext(status, count);
	}

	/**
	 * Makes every later send to a customer fail: Meta accepts it, then reports it
	 * {@code failed} (131026, message undeliverable).
	 * @param waId the customer
	 */
	public void failRecipient(String waId) {
		this.messages.failRecipient(waId);
	}

	/**
	 * Meta reviews a template: posts a signed {@code message_template_status_update}.
	 * @param name the template's name
	 * @param language its language, as {@code en_US}
	 * @param status {@code APPROVED}, {@code REJECTED}, {@code PAUSED}, ...
	 * @param category its category, or null to keep the one reviewed before
	 * @param reason why (a rejection's reason), or null for {@code NONE}
	 * @return the template's id and the webhook's HTTP status
	 */
	public TemplateWebhook reviewTemplate(String name, String language, String status, @Nullable String category,
			@Nullable String reason) {
		TemplateReviews.Template template = this.templates.review(name, language, category);
		String body = Webhooks.templateStatus(this.settings.wabaId(), template.id(), name, language, status,
				template.category(), (reason != null) ? reason : "NONE", Instant.now());
		return new TemplateWebhook(template.id(), this.webhooks.post(body));
	}

	/**
	 * Meta rates a template's quality: posts a signed
	 * {@code message_template_quality_update}.
	 * @param name the template's name
	 * @param language its language
	 * @param quality {@code GREEN}, {@code YELLOW} or {@code RED}
	 * @return the template's id and the webhook's HTTP status
	 */
	public TemplateWebhook rateTemplate(String name, String language, String quality) {
		TemplateReviews.Template template = this.templates.known(name, language);
		String body = Webhooks.templateQuality(this.settings.wabaId(), template.id(), name, language, "GREEN", quality,
				Instant.now());
		return new TemplateWebhook(template.id(), this.webhooks.post(body));
	}

	/**
	 * A customer writes to the business: posts a signed inbound webhook.
	 * @param waId the customer
	 * @param name their profile name
	 * @param text what they write
	 * @return the webhook's HTTP status and the message's wamid
	 */
	public CustomerMessage customerWrites(String waId, String name, String text) {
		String wamid = CloudApiMessages.wamid();
		String body = Webhooks.textMessage(this.settings.phoneNumberId(), waId, name, wamid, Instant.now(), text);
		return new CustomerMessage(wamid, this.webhooks.post(body));
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.messages.close();
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			String path = exchange.getRequestURI().getPath();
			String method = exchange.getRequestMethod();
			Matcher send = SEND_PATH.matcher(path);
			Matcher customer = CUSTOMER_PATH.matcher(path);
			if ("POST".equals(method) && send.matches()) {
				this.messages.send(exchange, send.group(2));
			}
			else if ("POST".equals(method) && customer.matches()) {
				JsonNode request = this.exchanges.read(exchange);
				CustomerMessage message = customerWrites(customer.group(1),
						request.path("name").asString("Sandbox Customer"), request.path("text").asString("Hello"));
				this.exchanges.respond(exchange, 202,
						this.exchanges.json()
							.createObjectNode()
							.put("wamid", message.wamid())
							.put("webhookStatus", message.webhookStatus()));
			}
			else if ("POST".equals(method) && "/sandbox/templates".equals(path)) {
				JsonNode request = this.exchanges.read(exchange);
				String name = request.path("name").asString("");
				String language = request.path("language").asString("en_US");
				String quality = request.path("quality").asString(null);
				TemplateWebhook webhook = (quality != null) ? rateTemplate(name, language, quality)
						: reviewTemplate(name, language, request.path("status").asString("APPROVED"),
								request.path("category").asString(null), request.path("reason").asString(null));
				this.exchanges.respond(exchange, 202,
						this.exchanges.json()
							.createObjectNode()
							.put("templateId", webhook.templateId())
							.put("webhookStatus", webhook.webhookStatus()));
			}
			else if ("POST".equals(method) && "/sandbox/failing-recipients".equals(path)) {
				failRecipient(this.exchanges.read(exchange).path("waId").asString(""));
				this.exchanges.respond(exchange, 204, null);
			}
			else if ("POST".equals(method) && "/sandbox/faults".equals(path)) {
				JsonNode request = this.exchanges.read(exchange);
				failNext(request.path("status").asInt(500), request.path("count").asInt(1));
				this.exchanges.respond(exchange, 204, null);
			}
			else if ("GET".equals(method) && "/sandbox/messages".equals(path)) {
				this.exchanges.respond(exchange, 200, this.exchanges.json().valueToTree(this.messages.sent()));
			}
			else {
				this.exchanges.respond(exchange, 404, this.exchanges.error(100, "Unknown path " + method + " " + path));
			}
		}
		catch (JacksonException ex) {
			this.exchanges.respond(exchange, 400,
					this.exchanges.error(100, "Invalid JSON: " + ex.getOriginalMessage()));
		}
	}

	private static String env(Map<String, String> environment, String name, String fallback) {
		String value = environment.get(name);
		return (value != null && !value.isBlank()) ? value : fallback;
	}

	/**
	 * How the sandbox runs.
	 *
	 * @param port the port (0 for any free one)
	 * @param accessToken the bearer token sends must carry
	 * @param webhookUrl the gateway's webhook, or null to call nothing back
	 * @param appSecret the app secret webhooks are signed with
	 * @param phoneNumberId the business number customers write to
	 * @param tick the time between a send and each of its statuses
	 * @param wabaId the WhatsApp Business Account id template webhooks name
	 * ({@code entry[].id})
	 * @param failingRecipients customers every send to fails
	 */
	public record Settings(int port, String accessToken, @Nullable URI webhookUrl, String appSecret,
			String phoneNumberId, Duration tick, String wabaId, Set<String> failingRecipients) {

		/** The WhatsApp Business Account id of the local demo tenant. */
		public static final String DEFAULT_WABA_ID = "102290129340398";

		/**
		 * A sandbox of the demo account with no failing recipient.
		 * @param port the port (0 for any free one)
		 * @param accessToken the bearer token sends must carry
		 * @param webhookUrl the gateway's webhook, or null to call nothing back
		 * @param appSecret the app secret webhooks are signed with
		 * @param phoneNumberId the business number customers write to
		 * @param tick the time between a send and each of its statuses
		 */
		public Settings(int port, String accessToken, @Nullable URI webhookUrl, String appSecret, String phoneNumberId,
				Duration tick) {
			this(port, accessToken, webhookUrl, appSecret, phoneNumberId, tick, DEFAULT_WABA_ID, Set.of());
		}

		/**
		 * The settings a sandbox process reads from its environment
		 * ({@code SANDBOX_PORT}, {@code SANDBOX_ACCESS_TOKEN},
		 * {@code SANDBOX_WEBHOOK_URL}, {@code SANDBOX_APP_SECRET},
		 * {@code SANDBOX_PHONE_NUMBER_ID}, {@code SANDBOX_TICK_MILLIS},
		 * {@code SANDBOX_WABA_ID}, {@code SANDBOX_FAILING_RECIPIENTS}), with the local
		 * demo account's defaults.
		 * @param environment the variables, e.g. {@link System#getenv()}
		 * @return the settings
		 */
		public static Settings of(Map<String, String> environment) {
			return new Settings(Integer.parseInt(env(environment, "SANDBOX_PORT", "8090")),
					env(environment, "SANDBOX_ACCESS_TOKEN", "sandbox-token"),
					URI.create(env(environment, "SANDBOX_WEBHOOK_URL", "http://localhost:8080/webhooks/whatsapp")),
					env(environment, "SANDBOX_APP_SECRET", "demo-app-secret"),
					env(environment, "SANDBOX_PHONE_NUMBER_ID", "106540352242922"),
					Duration.ofMillis(Long.parseLong(env(environment, "SANDBOX_TICK_MILLIS", "300"))),
					env(environment, "SANDBOX_WABA_ID", DEFAULT_WABA_ID),
					recipients(env(environment, "SANDBOX_FAILING_RECIPIENTS", "")));
		}

		/**
		 * Reads a comma-separated list of WhatsApp ids.
		 * @param commaSeparated the list, possibly empty
		 * @return the ids
		 */
		public static Set<String> recipients(String commaSeparated) {
			return java.util.Arrays.stream(commaSeparated.split(","))
				.map(String::trim)
				.filter((id) -> !id.isEmpty())
				.collect(java.util.stream.Collectors.toUnmodifiableSet());
		}

	}

	/**
	 * A template webhook the sandbox posted.
	 *
	 * @param templateId Meta's template id
	 * @param webhookStatus the webhook's HTTP status (0 when unreachable)
	 */
	public record TemplateWebhook(long templateId, int webhookStatus) {

	}

	/**
	 * A send the sandbox received.
	 *
	 * @param phoneNumberId the business number in the path
	 * @param to the recipient
	 * @param type the message type
	 * @param payload the JSON as sent
	 * @param wamid the id answered, null when refused
	 * @param status the HTTP status answered
	 * @param receivedAt when the request arrived (the send cap is measured on these)
	 */
	public record Sent(String phoneNumberId, String to, String type, String payload, @Nullable String wamid, int status,
			Instant receivedAt) {

	}

	/**
	 * A customer's message the sandbox posted.
	 *
	 * @param wamid its id
	 * @param webhookStatus the webhook's HTTP status (0 when unreachable)
	 */
	public record CustomerMessage(String wamid, int webhookStatus) {

	}

}

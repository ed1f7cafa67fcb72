package dev.switchboard.sandbox;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class WhatsAppSandboxTests {

	private static final String SEND = """
			{"messaging_product":"whatsapp","recipient_type":"individual","to":"393331234567","type":"text",
			 "text":{"body":"Your order has shipped"}}""";

	private final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newHttpClient();

	private final List<Received> webhooks = new CopyOnWriteArrayList<>();

	private HttpServer receiver;

	private WhatsAppSandbox sandbox;

	@BeforeEach
	void start() throws IOException {
		this.receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.receiver.createContext("/webhooks/whatsapp", (exchange) -> {
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			this.webhooks.add(new Received(body, exchange.getRequestHeaders().getFirst("X-Hub-Signature-256")));
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		this.receiver.start();
		URI webhook = URI.create("http://127.0.0.1:" + this.receiver.getAddress().getPort() + "/webhooks/whatsapp");
		this.sandbox = WhatsAppSandbox
			.start(new WhatsAppSandbox.Settings(0, "token", webhook, "secret", "1065", Duration.ofMillis(20)));
	}

	@AfterEach
	void stop() {
		this.sandbox.close();
		this.receiver.stop(0);
	}

	@Test
	void whenASendIsAcceptedThenAWamidIsAnsweredAndSignedStatusesFollowInOrder() throws Exception {
		HttpResponse<String> response = send("token", SEND);
		assertThat(response.statusCode()).isEqualTo(200);
		String wamid = this.json.readTree(response.body()).path("messages").path(0).path("id").asString();
		assertThat(wamid).startsWith("wamid.");

		await().atMost(Duration.ofSeconds(5)).until(() -> this.webhooks.size() == 3);
		assertThat(this.webhooks).allSatisfy(
				(webhook) -> assertThat(webhook.signature()).isEqualTo(Webhooks.signature("secret", webhook.body())));
		assertThat(this.webhooks).extracting((webhook) -> status(webhook.body()).path("status").asString())
			.containsExactly("sent", "delivered", "read");
		assertThat(this.webhooks)
			.allSatisfy((webhook) -> assertThat(status(webhook.body()).path("id").asString()).isEqualTo(wamid));
		assertThat(this.sandbox.sent()).singleElement().satisfies((sent) -> {
			assertThat(sent.to()).isEqualTo("393331234567");
			assertThat(sent.phoneNumberId()).isEqualTo("1065");
		});
	}

	@Test
	void whenTheTokenIsWrongThenUnauthorizedLikeMeta() throws Exception {
		HttpResponse<String> response = send("wrong", SEND);
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(this.json.readTree(response.body()).path("error").path("code").asInt()).isEqualTo(190);
	}

	@Test
	void whenTheSendHasNoRecipientThenBadRequest() throws Exception {
		HttpResponse<String> response = send("token", "{\"messaging_product\":\"whatsapp\",\"type\":\"text\"}");
		assertThat(response.statusCode()).isEqualTo(400);
	}

	@Test
	void whenFaultsAreInjectedThenTheNextSendsFailAndThenSucceed() throws Exception {
		this.sandbox.failNext(429, 1);
		this.sandbox.failNext(500, 1);
		HttpResponse<String> limited = send("token", SEND);
		assertThat(limited.statusCode()).isEqualTo(429);
		assertThat(this.json.readTree(limited.body()).path("error").path("code").asInt()).isEqualTo(130429);
		assertThat(send("token", SEND).statusCode()).isEqualTo(500);
		assertThat(send("token", SEND).statusCode()).isEqualTo(200);
	}

	@Test
	void whenACustomerWritesThenASignedInboundWebhookIsPosted() {
		WhatsAppSandbox.CustomerMessage message = this.sandbox.customerWrites("393339876543", "Giulia", "Ciao!");
		assertThat(message.webhookStatus()).isEqualTo(200);
		assertThat(this.webhooks).singleElement().satisfies((webhook) -> {
			JsonNode value = this.json.readTree(webhook.body())
				.path("entry")
				.path(0)
				.path("changes")
				.path(0)
				.path("value");
			assertThat(value.path("messages").path(0).path("text").path("body").asString()).isEqualTo("Ciao!");
			assertThat(value.path("messages").path(0).path("id").asString()).isEqualTo(message.wamid());
			assertThat(value.path("metadata").path("phone_number_id").asString()).isEqualTo("1065");
			assertThat(webhook.signature()).isEqualTo(Webhooks.signature("secret", webhook.body()));
		});
	}

	@Test
	void whenASendIsAcceptedThenItsSentAndDeliveredStatusesCarryMetasPricing() throws Exception {
		send("token", SEND);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.webhooks.size() == 3);
		JsonNode pricing = status(this.webhooks.get(0).body()).path("pricing");
		assertThat(pricing.path("billable").asBoolean(true)).isFalse();
		assertThat(pricing.path("category").asString()).isEqualTo("service");
		assertThat(pricing.path("pricing_model").asString()).isEqualTo("PMP");
		assertThat(status(this.webhooks.get(2).body()).has("pricing")).isFalse();
	}

	@Test
	void whenTheRecipientFailsOrTheSendAsksToFailThenOneSignedFailedStatusWithMetasErrors() throws Exception {
		this.sandbox.failRecipient("393339999999");
		send("token", SEND.replace("393331234567", "393339999999"));
		send("token",
				SEND.replace("\"type\":\"text\"", "\"biz_opaque_callback_data\":\"sandbox:fail\",\"type\":\"text\""));

		await().atMost(Duration.ofSeconds(5)).until(() -> this.webhooks.size() == 2);
		assertThat(this.webhooks).allSatisfy((webhook) -> {
			JsonNode status = status(webhook.body());
			assertThat(status.path("status").asString()).isEqualTo("failed");
			assertThat(status.path("errors").path(0).path("code").asInt()).isEqualTo(131026);
			assertThat(status.path("errors").path(0).path("error_data").path("details").asString()).isNotBlank();
			assertThat(webhook.signature()).isEqualTo(Webhooks.signature("secret", webhook.body()));
		});
	}

	@Test
	void whenATemplateIsReviewedThenASignedTemplateStatusUpdateNamesTheAccount() throws Exception {
		HttpResponse<String> response = this.http
			.send(HttpRequest.newBuilder(URI.create(this.sandbox.url() + "/sandbox/templates"))
				.POST(HttpRequest.BodyPublishers.ofString("""
						{"name":"order_update","language":"en_US","status":"REJECTED","category":"MARKETING",
						 "reason":"INCORRECT_CATEGORY"}"""))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(202);
		this.sandbox.rateTemplate("order_update", "en_US", "YELLOW");

		await().atMost(Duration.ofSeconds(5)).until(() -> this.webhooks.size() == 2);
		JsonNode review = this.json.readTree(this.webhooks.get(0).body()).path("entry").path(0);
		assertThat(review.path("id").asString()).isEqualTo(WhatsAppSandbox.Settings.DEFAULT_WABA_ID);
		JsonNode change = review.path("changes").path(0);
		assertThat(change.path("field").asString()).isEqualTo("message_template_status_update");
		assertThat(change.path("value").path("event").asString()).isEqualTo("REJECTED");
		assertThat(change.path("value").path("reason").asString()).isEqualTo("INCORRECT_CATEGORY");
		assertThat(change.path("value").path("message_template_category").asString()).isEqualTo("MARKETING");
		JsonNode rating = this.json.readTree(this.webhooks.get(1).body()).path("entry").path(0).path("changes").path(0);
		assertThat(rating.path("field").asString()).isEqualTo("message_template_quality_update");
		assertThat(rating.path("value").path("message_template_id").asLong())
			.isEqualTo(change.path("value").path("message_template_id").asLong());
		assertThat(this.webhooks).allSatisfy(
				(webhook) -> assertThat(webhook.signature()).isEqualTo(Webhooks.signature("secret", webhook.body())));
	}

	private JsonNode status(String body) {
		return this.json.readTree(body)
			.path("entry")
			.path(0)
			.path("changes")
			.path(0)
			.path("value")
			.path("statuses")
			.path(0);
	}

	private HttpResponse<String> send(String token, String body) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create(this.sandbox.url() + "/v21.0/1065/messages"))
			.header("Authorization", "Bearer " + token)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private record Received(String body, String signature) {

	}

}

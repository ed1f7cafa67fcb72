package dev.switchboard.inbox.integration;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import io.netty.channel.ChannelOption;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * POSTs a delivery's body to the receiver with its signature and identifying headers.
 * Redirects are not followed and the receiver's body is never read into the log: a
 * receiver's answer is its status code only.
 */
@Component
class CrmWebhookClient {

	static final String EVENT_HEADER = "X-Switchboard-Event";

	static final String DELIVERY_HEADER = "X-Switchboard-Delivery";

	private final WebClient client;

	private final Duration deadline;

	CrmWebhookClient(CrmWebhookProperties properties) {
		HttpClient http = HttpClient.create()
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.connectTimeout().toMillis())
			.responseTimeout(properties.responseTimeout())
			.followRedirect(false);
		this.client = WebClient.builder().clientConnector(new ReactorClientHttpConnector(http)).build();
		this.deadline = properties.connectTimeout().plus(properties.responseTimeout()).plusSeconds(1);
	}

	/**
	 * Makes one attempt.
	 * @param url the subscription's URL
	 * @param secret the subscription's signing secret
	 * @param deliveryId the delivery, so receivers can drop repeats
	 * @param eventType the CRM event type
	 * @param body the body, exactly as signed
	 * @return the receiver's answer, or why there was none; never an error
	 */
	Mono<Answer> post(String url, String secret, UUID deliveryId, String eventType, String body) {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		return Mono
			.defer(() -> this.client.post()
				.uri(url)
				.contentType(MediaType.APPLICATION_JSON)
				.header(HttpHeaders.USER_AGENT, "Switchboard-Webhooks/1")
				.header(CrmSignature.HEADER, CrmSignature.sign(secret, bytes))
				.header(EVENT_HEADER, eventType)
				.header(DELIVERY_HEADER, deliveryId.toString())
				.bodyValue(bytes)
				.exchangeToMono((response) -> response.releaseBody()
					.thenReturn(new Answer(response.statusCode().value(),
							(response.statusCode().is2xxSuccessful()) ? null
									: "The receiver answered HTTP " + response.statusCode().value()))))
			.timeout(this.deadline)
			.onErrorResume(
					(ex) -> Mono.just(new Answer(null, "No answer from the receiver: " + ex.getClass().getSimpleName()
							+ ((ex.getMessage() != null) ? " " + truncate(ex.getMessage()) : ""))));
	}

	private static String truncate(String message) {
		return (message.length() > 300) ? message.substring(0, 300) + "…" : message;
	}

	/**
	 * What came back from one attempt.
	 *
	 * @param status the HTTP status, or null when there was no answer
	 * @param error why the attempt did not deliver, or null when it did
	 */
	record Answer(@Nullable Integer status, @Nullable String error) {

		boolean delivered() {
			return this.status != null && this.status >= 200 && this.status < 300;
		}

	}

}

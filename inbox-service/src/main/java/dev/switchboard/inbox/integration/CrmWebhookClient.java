package dev.switchboard.inbox.integration;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelOption;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * POSTs a delivery's body to the receiver, signed in the Standard Webhooks scheme
 * ({@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature}; no unsigned
 * metadata). Every attempt checks the destination again ({@link DestinationPolicy}) and
 * connects only to the address it checked; redirects are not followed and the receiver's
 * body is never read. What went wrong is said to the tenant only as "Delivery failed"
 * with the HTTP status class; the details (exception, address) go to the log. Refused
 * destinations are counted in {@code switchboard.inbox.crm.deliveries.refused} by reason.
 */
@Component
class CrmWebhookClient {

	static final String FAILED = "Delivery failed";

	private final DestinationPolicy policy;

	private final WebClient https;

	private final @Nullable WebClient plainHttp;

	private final Duration deadline;

	private final MeterRegistry meters;

	CrmWebhookClient(CrmWebhookProperties properties, DestinationPolicy policy, MeterRegistry meters) {
		this.policy = policy;
		this.meters = meters;
		this.https = client(properties, new PinnedAddressResolverGroup(policy, false));
		this.plainHttp = policy.allowsPlainHttpToLoopback()
				? client(properties, new PinnedAddressResolverGroup(policy, true)) : null;
		this.deadline = properties.connectTimeout().plus(properties.responseTimeout()).plusSeconds(1);
	}

	private static WebClient client(CrmWebhookProperties properties, PinnedAddressResolverGroup resolver) {
		// No pooled connections: every attempt resolves and checks again, and no
		// connection opened by another client is ever reused for a tenant's URL.
		HttpClient http = HttpClient.create(ConnectionProvider.newConnection())
			.resolver(resolver)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.connectTimeout().toMillis())
			.responseTimeout(properties.responseTimeout())
			.followRedirect(false);
		return WebClient.builder().clientConnector(new ReactorClientHttpConnector(http)).build();
	}

	/**
	 * Makes one attempt.
	 * @param url the subscription's URL
	 * @param secret the subscription's signing secret
	 * @param webhookId the {@code webhook-id}: the event's id, the same on every attempt
	 * @param timestamp this attempt's time, Unix seconds
	 * @param body the body, exactly as signed
	 * @return the receiver's answer, or why there was none; never an error
	 */
	Mono<Answer> post(String url, String secret, String webhookId, long timestamp, String body) {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		return Mono.fromCallable(() -> this.policy.beforeDelivery(url))
			.flatMap((uri) -> clientFor(uri).post()
				.uri(uri)
				.contentType(MediaType.APPLICATION_JSON)
				.header(HttpHeaders.USER_AGENT, "Switchboard-Webhooks/1")
				.header(CrmSignature.ID_HEADER, webhookId)
				.header(CrmSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
				.header(CrmSignature.SIGNATURE_HEADER, CrmSignature.sign(secret, webhookId, timestamp, bytes))
				.bodyValue(bytes)
				.exchangeToMono(
						(response) -> response.releaseBody().thenReturn(answered(response.statusCode().value()))))
			.timeout(this.deadline)
			.onErrorResume((ex) -> Mono.just(unanswered(ex)));
	}

	private WebClient clientFor(URI uri) {
		// beforeDelivery refused plain http unless allowed, so the client exists then.
		return (DestinationPolicy.isPlainHttp(uri) && this.plainHttp != null) ? this.plainHttp : this.https;
	}

	private static Answer answered(int status) {
		if (status >= 200 && status < 300) {
			return new Answer(status, null, null);
		}
		return new Answer(status, FAILED + ": HTTP " + (status / 100) + "xx", "the receiver answered HTTP " + status);
	}

	private Answer unanswered(Throwable ex) {
		DestinationPolicy.DestinationRefused refused = refusal(ex);
		if (refused != null) {
			this.meters.counter("switchboard.inbox.crm.deliveries.refused", "reason", refused.reason()).increment();
			return new Answer(null, FAILED, "destination refused (" + refused.reason() + "): " + refused.getMessage());
		}
		return new Answer(null, FAILED, "no answer: " + ex.getClass().getSimpleName()
				+ ((ex.getMessage() != null) ? " " + truncate(ex.getMessage()) : ""));
	}

	private static DestinationPolicy.@Nullable DestinationRefused refusal(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof DestinationPolicy.DestinationRefused refused) {
				return refused;
			}
		}
		return null;
	}

	private static String truncate(String message) {
		return (message.length() > 300) ? message.substring(0, 300) + "…" : message;
	}

	/**
	 * What came back from one attempt.
	 *
	 * @param status the HTTP status, or null when there was no answer
	 * @param error why the attempt did not deliver, as the tenant may see it
	 * ({@code Delivery failed}, with the status class if the receiver answered), or null
	 * when it delivered
	 * @param detail why, for the log only (the exception, the address), or null when it
	 * delivered
	 */
	record Answer(@Nullable Integer status, @Nullable String error, @Nullable String detail) {

		boolean delivered() {
			return this.status != null && this.status >= 200 && this.status < 300;
		}

	}

}

package dev.switchboard.sandbox;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts webhooks to the gateway as Meta does: signed with the app secret in
 * {@code X-Hub-Signature-256}, once, whatever the answer.
 */
final class SignedWebhooks {

	private static final Logger logger = LoggerFactory.getLogger(SignedWebhooks.class);

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final @Nullable URI target;

	private final String appSecret;

	SignedWebhooks(@Nullable URI target, String appSecret) {
		this.target = target;
		this.appSecret = appSecret;
	}

	/**
	 * @return whether there is a webhook to call
	 */
	boolean enabled() {
		return this.target != null;
	}

	/**
	 * @param body the webhook's JSON
	 * @return the webhook's HTTP status, 0 when there is none or it is unreachable
	 */
	int post(String body) {
		URI to = this.target;
		if (to == null) {
			return 0;
		}
		HttpRequest request = HttpRequest.newBuilder(to)
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/json")
			.header("X-Hub-Signature-256", Webhooks.signature(this.appSecret, body))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		try {
			int status = this.client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
			if (status != 200) {
				logger.warn("The webhook at {} answered {}", to, status);
			}
			return status;
		}
		catch (IOException ex) {
			logger.warn("The webhook at {} is unreachable: {}", to, ex.getMessage());
			return 0;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return 0;
		}
	}

}

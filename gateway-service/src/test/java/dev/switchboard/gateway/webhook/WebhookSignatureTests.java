package dev.switchboard.gateway.webhook;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.switchboard.testsupport.WhatsAppWebhooks;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookSignatureTests {

	private static final String BODY = "{\"object\":\"whatsapp_business_account\"}";

	@Test
	void whenOneOfTheSecretsSignedTheBodyThenItIsTheSigner() {
		assertThat(WebhookSignature.signer(List.of("a-secret", "b-secret"), bytes(BODY),
				WhatsAppWebhooks.signature("b-secret", BODY)))
			.contains("b-secret");
	}

	@Test
	void whenNoSecretSignedTheBodyOrTheHexIsBadThenThereIsNoSigner() {
		assertThat(WebhookSignature.signer(List.of("a-secret"), bytes(BODY), WhatsAppWebhooks.signature("x", BODY)))
			.isEmpty();
		assertThat(WebhookSignature.signer(List.of("a-secret"), bytes(BODY), "sha256=" + "zz".repeat(32))).isEmpty();
		assertThat(WebhookSignature.signer(List.of(), bytes(BODY), WhatsAppWebhooks.signature("a-secret", BODY)))
			.isEmpty();
	}

	@Test
	void whenTheHeaderIsNotSha256HexThenItIsNotWellFormed() {
		assertThat(WebhookSignature.isWellFormed(null)).isFalse();
		assertThat(WebhookSignature.isWellFormed("sha1=abc")).isFalse();
		assertThat(WebhookSignature.isWellFormed(WhatsAppWebhooks.signature("a-secret", BODY))).isTrue();
	}

	private static byte[] bytes(String body) {
		return body.getBytes(StandardCharsets.UTF_8);
	}

}

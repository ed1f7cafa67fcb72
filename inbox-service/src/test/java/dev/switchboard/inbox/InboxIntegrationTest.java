package dev.switchboard.inbox;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;
import java.util.Map;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfiguration;

import dev.switchboard.sandbox.WhatsAppSandbox;
import dev.switchboard.testsupport.RealInfrastructureInitializer;

/**
 * The inbox against the real Kafka broker and PostgreSQL, sending to the WhatsApp
 * sandbox, with host names of the tests' own ({@link TestHosts}). Every inbox IT uses
 * this one configuration so they share one application context (two contexts would both
 * work the one send queue).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = { RealInfrastructureInitializer.class, InboxIntegrationTest.Sandbox.class })
@AutoConfigureWebTestClient
@Import(TestHosts.class)
public @interface InboxIntegrationTest {

	/**
	 * Starts the sandbox once and points the Graph API client at it, retrying quickly.
	 */
	final class Sandbox implements ApplicationContextInitializer<ConfigurableApplicationContext> {

		static final String TOKEN = "sandbox-test-token";

		static final WhatsAppSandbox SANDBOX = WhatsAppSandbox
			.start(new WhatsAppSandbox.Settings(0, TOKEN, null, "unused", "106540352242922", Duration.ofMillis(50)));

		@Override
		public void initialize(ConfigurableApplicationContext context) {
			context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource("whatsappSandbox", Map.of("switchboard.whatsapp.graph-base-url",
						SANDBOX.url(), "switchboard.whatsapp.access-token", TOKEN, "switchboard.whatsapp.first-retry",
						"100ms", "switchboard.whatsapp.longest-retry", "500ms", "switchboard.whatsapp.max-attempts",
						"3", "switchboard.whatsapp.send-interval", "100ms", "switchboard.crm-webhooks.first-retry",
						"100ms", "switchboard.crm-webhooks.longest-retry", "500ms",
						"switchboard.crm-webhooks.max-attempts", "3", "switchboard.crm-webhooks.interval", "100ms")));
			// The CRM receivers of the tests are plain http on 127.0.0.1, as in local
			// runs.
			context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource("crmReceivers",
						Map.of("switchboard.crm-webhooks.allow-plain-http-to-loopback", "true")));
		}

	}

}

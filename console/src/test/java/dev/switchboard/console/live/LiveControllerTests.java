package dev.switchboard.console.live;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import reactor.core.Disposable;

import dev.switchboard.console.config.ConsoleProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class LiveControllerTests {

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final LiveEvents events = new LiveEvents(this.meters);

	private final LiveController controller = new LiveController(this.events,
			new ConsoleProperties(URI.create("http://127.0.0.1:8080"), null, false, Duration.ofMinutes(30),
					Duration.ofHours(1), new ConsoleProperties.Oidc(URI.create("http://127.0.0.1:9000"), null,
							"switchboard-console", "switchboard", "tenant", "roles")),
			this.meters);

	@Test
	void whenEventsOfSeveralTenantsAndKindsArriveThenAnAgentHearsOnlyTheirTenantsConversations() {
		List<String> names = new CopyOnWriteArrayList<>();
		Disposable stream = this.controller.stream(user("mario", "demo", "AGENT"))
			.subscribe((event) -> names.add(String.valueOf(event.event())));
		assertThat(this.meters.get("console.live.connections").gauge().value()).isEqualTo(1);

		this.events.publish(new LiveEvent("rival", LiveKind.MESSAGE, "c1"));
		this.events.publish(new LiveEvent("demo", LiveKind.DEVICE, null));
		this.events.publish(new LiveEvent("demo", LiveKind.MESSAGE, "c2"));
		this.events.publish(new LiveEvent("demo", LiveKind.WINDOW, "c2"));
		await().atMost(Duration.ofSeconds(5)).until(() -> names.contains("inbox"));
		stream.dispose();

		assertThat(names).containsExactlyInAnyOrder("conversation-c2", "window-c2", "inbox");
		assertThat(this.meters.get("console.live.connections").gauge().value()).isZero();
		assertThat(this.meters.get("console.live.events.pushed").tag("event", "conversation").counter().count())
			.isEqualTo(1);
	}

	@Test
	void whenADeviceChangesThenOwnersHearOfIt() {
		List<String> names = new CopyOnWriteArrayList<>();
		Disposable stream = this.controller.stream(user("olivia", "demo", "OWNER"))
			.subscribe((event) -> names.add(String.valueOf(event.event())));
		this.events.publish(new LiveEvent("demo", LiveKind.DEVICE, null));
		await().atMost(Duration.ofSeconds(5)).until(() -> names.contains("device"));
		stream.dispose();
	}

	private static OidcUser user(String subject, String tenant, String... roles) {
		OidcIdToken token = OidcIdToken.withTokenValue("id-token")
			.subject(subject)
			.issuedAt(Instant.now())
			.expiresAt(Instant.now().plusSeconds(60))
			.claim("tenant", tenant)
			.claim("roles", List.of(roles))
			.build();
		return new DefaultOidcUser(List.of(), token);
	}

}

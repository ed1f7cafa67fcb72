package dev.switchboard.console.live;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;

import dev.switchboard.console.config.ConsoleProperties;
import dev.switchboard.console.signin.ConsoleUser;

/**
 * A signed-in browser's live stream (server-sent events): the events of the user's tenant
 * that their roles may hear of, as a kind and an id. Each conversation-level event is
 * sent as {@code window-<id>} for the window's changes, else {@code conversation-<id>}
 * (the open conversation re-reads the part that changed) and, at most every
 * {@value #INBOX_SAMPLE_MILLIS} ms, as one {@code inbox} (the list and its counts re-read
 * themselves once however many conversations changed); other kinds under their own name.
 * A comment every heartbeat keeps proxies from closing an idle stream.
 */
@RestController
class LiveController {

	static final long INBOX_SAMPLE_MILLIS = 250;

	private final LiveEvents events;

	private final ConsoleProperties properties;

	private final MeterRegistry meters;

	private final AtomicInteger connections = new AtomicInteger();

	LiveController(LiveEvents events, ConsoleProperties properties, MeterRegistry meters) {
		this.events = events;
		this.properties = properties;
		this.meters = meters;
		Gauge.builder("console.live.connections", this.connections, AtomicInteger::get)
			.description("Open live streams (server-sent events) of signed-in browsers")
			.register(meters);
	}

	@GetMapping(path = "/console/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	Flux<ServerSentEvent<Map<String, String>>> stream(@AuthenticationPrincipal OidcUser principal) {
		ConsoleUser user = ConsoleUser.of(principal, this.properties.oidc());
		Flux<LiveEvent> mine = this.events.events()
			.filter((event) -> event.tenant().equals(user.tenant()) && event.kind().visibleTo(user.roles()))
			.onBackpressureLatest();
		Flux<ServerSentEvent<Map<String, String>>> pushed = mine
			.publish((shared) -> Flux.merge(
					shared.filter((event) -> event.conversationId() != null)
						.map((event) -> event(((event.kind() == LiveKind.WINDOW) ? "window-" : "conversation-")
								+ event.conversationId(), event)),
					shared.filter((event) -> event.kind().perConversation())
						.sample(Duration.ofMillis(INBOX_SAMPLE_MILLIS))
						.map((event) -> event("inbox", event)),
					shared.filter((event) -> !event.kind().perConversation())
						.map((event) -> event(event.kind().eventName(), event))))
			.doOnNext((sent) -> this.meters.counter("console.live.events.pushed", "event", category(sent)).increment());
		Flux<ServerSentEvent<Map<String, String>>> heartbeat = Flux.interval(this.properties.heartbeat())
			.map((tick) -> ServerSentEvent.<Map<String, String>>builder().comment("keep-alive").build());
		return Flux.merge(pushed, heartbeat)
			.doOnSubscribe((subscription) -> this.connections.incrementAndGet())
			.doFinally((signal) -> this.connections.decrementAndGet());
	}

	private static ServerSentEvent<Map<String, String>> event(String name, LiveEvent event) {
		Map<String, String> data = (event.conversationId() != null)
				? Map.of("kind", event.kind().eventName(), "conversationId", event.conversationId())
				: Map.of("kind", event.kind().eventName());
		return ServerSentEvent.<Map<String, String>>builder().event(name).data(data).build();
	}

	// A bounded tag: conversation ids would make a metric per conversation.
	private static String category(ServerSentEvent<Map<String, String>> sent) {
		String name = String.valueOf(sent.event());
		return name.startsWith("conversation-") ? "conversation" : name.startsWith("window-") ? "window" : name;
	}

}

package dev.switchboard.billing.charge;

import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.switchboard.events.EventCodec;
import dev.switchboard.events.MessageReceived;
import dev.switchboard.events.MessageSent;
import dev.switchboard.events.MessageStatusChanged;
import dev.switchboard.events.SwitchboardEvent;

import static dev.switchboard.billing.web.Rows.value;

/**
 * Rebuilds a month's charge lines from the event ledger alone: the events are replayed in
 * the order they were consumed into an in-memory model of windows, sends and statuses,
 * without reading the derived tables, and priced by the same {@link ChargePolicy}.
 */
@Component
public class LedgerReplay {

	private final DatabaseClient database;

	private final EventCodec codec;

	private final ChargePolicy policy;

	LedgerReplay(DatabaseClient database, EventCodec codec, ChargePolicy policy) {
		this.database = database;
		this.codec = codec;
		this.policy = policy;
	}

	/**
	 * The charge lines of a month, recomputed from the ledger.
	 * @param tenantId the tenant
	 * @param month the month messages were delivered in
	 * @return the lines by delivery time
	 */
	public Mono<List<ChargeLine>> month(String tenantId, YearMonth month) {
		return this.database
			.sql("SELECT event_type, payload FROM billing_event WHERE tenant_id = :tenant"
					+ " AND event_type <> 'dev.switchboard.routing.conversation-assigned.v1' ORDER BY seq")
			.bind("tenant", tenantId)
			.map((row) -> this.codec.decode(value(row, "event_type", String.class),
					value(row, "payload", byte[].class)))
			.all()
			.collectList()
			.flatMapMany((events) -> Flux.fromIterable(new Model(events).billable(tenantId)))
			.filter((facts) -> YearMonth.from(facts.billableAt().atOffset(java.time.ZoneOffset.UTC)).equals(month))
			.concatMap(this.policy::line)
			.collectSortedList(Comparator.comparing(ChargeLine::billableAt).thenComparing(ChargeLine::wamid));
	}

	/** The replayed state. */
	private static final class Model {

		private final Map<String, List<Instant>> customerMessages = new HashMap<>();

		private final Set<String> customerWamids = new HashSet<>();

		private final Map<String, MessageSent> sends = new LinkedHashMap<>();

		private final Map<String, Map<String, Instant>> statuses = new HashMap<>();

		Model(List<SwitchboardEvent> events) {
			for (SwitchboardEvent event : events) {
				switch (event) {
					case MessageReceived received -> {
						if (this.customerWamids.add(received.wamid())) {
							this.customerMessages.computeIfAbsent(received.conversationId(), (key) -> new ArrayList<>())
								.add(received.sentAt());
						}
					}
					case MessageSent sent -> this.sends.putIfAbsent(sent.wamid(), sent);
					case MessageStatusChanged status ->
						this.statuses.computeIfAbsent(status.wamid(), (key) -> new HashMap<>())
							.putIfAbsent(status.status(), status.at());
					default -> {
					}
				}
			}
		}

		List<OutboundFacts> billable(String tenantId) {
			List<OutboundFacts> result = new ArrayList<>();
			for (MessageSent sent : this.sends.values()) {
				Map<String, Instant> status = this.statuses.getOrDefault(sent.wamid(), Map.of());
				Instant billableAt = (status.get("DELIVERED") != null) ? status.get("DELIVERED") : status.get("READ");
				if (billableAt == null || status.containsKey("FAILED") || !tenantId.equals(sent.tenantId())) {
					continue;
				}
				Instant last = lastCustomerMessage(sent.conversationId(), sent.sentAt());
				boolean answered = last != null && this.sends.values()
					.stream()
					.anyMatch((other) -> other.conversationId().equals(sent.conversationId())
							&& !other.wamid().equals(sent.wamid()) && other.sentAt().isAfter(last)
							&& other.sentAt().isBefore(sent.sentAt()));
				result.add(new OutboundFacts(tenantId, sent.wamid(), sent.conversationId(), sent.waId(), sent.agentId(),
						sent.kind(), sent.templateName(), sent.templateCategory(), sent.sentAt(), last, answered,
						billableAt));
			}
			return result;
		}

		private @Nullable Instant lastCustomerMessage(String conversationId, Instant sentAt) {
			return this.customerMessages.getOrDefault(conversationId, List.of())
				.stream()
				.filter((at) -> !at.isAfter(sentAt))
				.max(Comparator.naturalOrder())
				.orElse(null);
		}

	}

}

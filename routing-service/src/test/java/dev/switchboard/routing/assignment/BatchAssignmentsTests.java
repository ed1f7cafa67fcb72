package dev.switchboard.routing.assignment;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.switchboard.events.ConversationStatusChanged;
import dev.switchboard.events.MessageReceived;
import dev.switchboard.events.SwitchboardEvent;
import dev.switchboard.routing.team.Strategy;

import static org.assertj.core.api.Assertions.assertThat;

class BatchAssignmentsTests {

	private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

	private final UUID onlyMessages = UUID.fromString("00000000-0000-0000-0000-00000000000a");

	private final UUID alsoResolved = UUID.fromString("00000000-0000-0000-0000-00000000000b");

	@Test
	void whenAConversationHasOnlyMessagesInTheBatchThenItsSpanIsTheFirstInOrderAndTheLatest() {
		List<SwitchboardEvent> events = List.of(message(this.onlyMessages, T0.plusSeconds(20)),
				message(this.alsoResolved, T0), message(this.onlyMessages, T0.plusSeconds(30)),
				new ConversationStatusChanged("tenant-b", this.alsoResolved.toString(), "RESOLVED", "agent-1",
						T0.plusSeconds(1)),
				message(this.onlyMessages, T0.plusSeconds(10)), message(this.alsoResolved, T0.plusSeconds(2)));

		Map<UUID, BatchAssignments.Span> spans = BatchAssignments.onlyMessages(events);

		assertThat(spans).containsOnlyKeys(this.onlyMessages);
		assertThat(spans.get(this.onlyMessages))
			.isEqualTo(new BatchAssignments.Span("tenant-a", T0.plusSeconds(20), T0.plusSeconds(30)));
		assertThat(BatchAssignments.onlyMessages(events.subList(0, 2))).containsOnlyKeys(this.onlyMessages,
				this.alsoResolved);
	}

	@Test
	void whenTheBatchGivesAConversationThenTheAgentsLoadGrowsInEveryTeamOfTheTenantAndOnlyItsTeamsCursorMoves() {
		BatchAssignments batch = new BatchAssignments();
		TeamLoad sales = new TeamLoad(new TeamLoad.Cursor(Strategy.ROUND_ROBIN, null),
				List.of(new TeamLoad.Candidate("ann", 0, null, 1), new TeamLoad.Candidate("bob", 0, null, 2)));
		TeamLoad support = new TeamLoad(new TeamLoad.Cursor(Strategy.LEAST_LOADED, null),
				List.of(new TeamLoad.Candidate("ann", 0, null, 1)));
		batch.team("tenant-a", "sales", Optional.of(sales));
		batch.team("tenant-a", "support", Optional.of(support));
		batch.team("tenant-b", "sales", Optional.of(sales));
		batch.team("tenant-a", "none", Optional.empty());
		assertThat(sales.choose(null)).isEqualTo("ann");

		batch.assigned("tenant-a", "sales", "ann", T0);

		TeamLoad salesAfter = batch.team("tenant-a", "sales").orElseThrow();
		assertThat(salesAfter.cursor().lastAgentId()).isEqualTo("ann");
		assertThat(salesAfter.members().getFirst()).isEqualTo(new TeamLoad.Candidate("ann", 1, T0, 1));
		assertThat(salesAfter.choose(null)).isEqualTo("bob");
		// ann is full in her other team too, whose cursor stays.
		assertThat(batch.team("tenant-a", "support").orElseThrow().choose(null)).isNull();
		assertThat(batch.team("tenant-a", "support").orElseThrow().cursor().lastAgentId()).isNull();
		// Another tenant's ann is someone else.
		assertThat(batch.team("tenant-b", "sales").orElseThrow().choose(null)).isEqualTo("ann");
		assertThat(batch.team("tenant-a", "none")).isEmpty();
		assertThat(batch.team("tenant-a", "other")).isNull();

		batch.forgetTeams();
		assertThat(batch.team("tenant-a", "sales")).isNull();
	}

	private static MessageReceived message(UUID conversation, Instant sentAt) {
		String tenant = conversation.toString().endsWith("a") ? "tenant-a" : "tenant-b";
		return new MessageReceived(tenant, conversation.toString(), UUID.randomUUID().toString(), "contact", "39333",
				"wamid." + UUID.randomUUID(), "text", sentAt, "hi", List.of());
	}

}

package dev.switchboard.routing;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.switchboard.events.ConversationAssigned;
import dev.switchboard.events.ConversationEscalated;
import dev.switchboard.events.ConversationIds;
import dev.switchboard.events.ConversationQueued;
import dev.switchboard.events.ConversationStatusChanged;
import dev.switchboard.events.MessageReceived;
import dev.switchboard.events.MessageSent;
import dev.switchboard.events.SwitchboardEvent;
import dev.switchboard.events.WindowClosing;
import dev.switchboard.events.WindowExpired;
import dev.switchboard.routing.window.WindowTimers;
import dev.switchboard.testsupport.IntegrationTest;
import dev.switchboard.testsupport.RealInfrastructure;
import dev.switchboard.testsupport.TestEvents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@IntegrationTest
@Import(TestClock.Config.class)
@AutoConfigureWebTestClient
class AssignmentIT {

	private static TestEvents events;

	@Autowired
	private WebTestClient http;

	@LocalManagementPort
	private int managementPort;

	@Autowired
	private TestClock clock;

	@Autowired
	private DatabaseClient database;

	@Autowired
	private WindowTimers timers;

	private final Routing routing = new Routing(() -> this.http);

	@BeforeAll
	static void connect() {
		events = new TestEvents(RealInfrastructure.get().kafkaBootstrapServers());
	}

	@AfterAll
	static void disconnect() {
		events.close();
	}

	static void useEvents(TestEvents shared) {
		events = shared;
	}

	@AfterEach
	void resetClock() {
		this.clock.reset();
	}

	@AfterEach
	void everyAgentsKeptLoadMatchesTheirAssignments() {
		// agent_load is kept by a trigger; whatever a scenario did, it must equal the
		// count, and no open assignment may be more recent than the agent's last.
		List<String> drift = this.database.sql("""
				SELECT coalesce(l.tenant_id, c.tenant_id) || '/' || coalesce(l.agent_id, c.agent_id) || ': '
				       || coalesce(l.open_count, 0) || ' kept, ' || coalesce(c.open, 0) || ' assigned' AS drift
				FROM agent_load l
				FULL JOIN (SELECT tenant_id, agent_id, count(*) AS open FROM assignment
				           WHERE state = 'ASSIGNED' AND agent_id IS NOT NULL GROUP BY tenant_id, agent_id) c
				       ON c.tenant_id = l.tenant_id AND c.agent_id = l.agent_id
				WHERE coalesce(l.open_count, 0) <> coalesce(c.open, 0)""")
			.map((row) -> row.get("drift", String.class))
			.all()
			.collectList()
			.block();
		assertThat(drift).isEmpty();
		List<String> behind = this.database.sql("""
				SELECT s.tenant_id || '/' || s.agent_id AS behind FROM assignment s
				LEFT JOIN agent_load l ON l.tenant_id = s.tenant_id AND l.agent_id = s.agent_id
				WHERE s.state = 'ASSIGNED' AND s.agent_id IS NOT NULL
				  AND (l.last_assigned_at IS NULL OR l.last_assigned_at < s.assigned_at)""")
			.map((row) -> row.get("behind", String.class))
			.all()
			.collectList()
			.block();
		assertThat(behind).as("agents whose kept last assignment is older than an open one").isEmpty();
	}

	@Test
	void whenTeamIsRoundRobinThenOnlineMembersTakeTurns() {
		String tenant = tenant();
		this.routing.team(tenant, "support", "ROUND_ROBIN", true);
		for (String agent : List.of("ann", "bob", "cat")) {
			this.routing.agent(tenant, agent, 10, "support");
			this.routing.presence(tenant, agent, "ONLINE");
		}
		List<String> agents = List.of("1", "2", "3", "4")
			.stream()
			.map((n) -> assignedAgent(customerWrites(tenant, "39333000000" + n, "hi", Instant.now())))
			.toList();
		assertThat(agents).containsExactly("ann", "bob", "cat", "ann");
	}

	@Test
	void whenTeamIsLeastLoadedThenTheAgentWithFewestOpenConversationsGetsTheNext() {
		String tenant = tenant();
		this.routing.team(tenant, "sales", "LEAST_LOADED", true);
		this.routing.agent(tenant, "ann", 10, "sales");
		this.routing.presence(tenant, "ann", "ONLINE");
		String first = customerWrites(tenant, "393330000011", "hi", Instant.now());
		String second = customerWrites(tenant, "393330000012", "hi", Instant.now());
		assertThat(assignedAgent(first)).isEqualTo("ann");
		assertThat(assignedAgent(second)).isEqualTo("ann");
		this.routing.agent(tenant, "bob", 10, "sales");
		this.routing.presence(tenant, "bob", "ONLINE");
		this.routing.agent(tenant, "cat", 10, "sales");
		this.routing.presence(tenant, "cat", "ONLINE");
		// bob and cat have no conversations; bob, never assigned, goes first by id, then
		// cat.
		assertThat(assignedAgent(customerWrites(tenant, "393330000013", "hi", Instant.now()))).isEqualTo("bob");
		assertThat(assignedAgent(customerWrites(tenant, "393330000014", "hi", Instant.now()))).isEqualTo("cat");
		// Now bob and cat have one each, ann two: bob has been idle longest.
		assertThat(assignedAgent(customerWrites(tenant, "393330000015", "hi", Instant.now()))).isEqualTo("bob");
	}

	@Test
	void whenManyNewConversationsArriveTogetherThenNoAgentGoesOverCapacityAndTheTurnsGoOn() {
		// Published together, most reach routing in one batch, which gives them out from
		// the team's loads read once and kept by its own assignments.
		String tenant = tenant();
		List<String> leastLoaded = burst(tenant, "LEAST_LOADED", 3, 11, "3933300005");
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(leastLoaded)
				.allSatisfy((conversation) -> assertThat(eventsOf(conversation, ConversationAssigned.class).size()
						+ eventsOf(conversation, ConversationQueued.class).size())
					.isEqualTo(1)));
		assertThat(agentsOf(leastLoaded)).containsOnly(Map.entry("ann", 3L), Map.entry("bob", 3L),
				Map.entry("cat", 3L));
		assertThat(this.routing.queue(tenant)).hasSize(2);

		String other = tenant();
		List<String> roundRobin = burst(other, "ROUND_ROBIN", 10, 7, "3933300006");
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(roundRobin).allSatisfy(
					(conversation) -> assertThat(eventsOf(conversation, ConversationAssigned.class)).hasSize(1)));
		assertThat(agentsOf(roundRobin)).containsOnly(Map.entry("ann", 3L), Map.entry("bob", 2L), Map.entry("cat", 2L));
		// The team's cursor was kept: the next turn follows the last agent given one.
		String last = roundRobin.stream()
			.map((conversation) -> eventsOf(conversation, ConversationAssigned.class).getFirst())
			.max(Comparator.comparing(ConversationAssigned::assignedAt))
			.orElseThrow()
			.agentId();
		String next = Map.of("ann", "bob", "bob", "cat", "cat", "ann").get(last);
		assertThat(assignedAgent(customerWrites(other, "393330000699", "hi", Instant.now()))).isEqualTo(next);
	}

	@Test
	void whenANewConversationsMessagesArriveTogetherThenItAwaitsAReplySinceTheFirstAndKnowsTheLatest() {
		String tenant = tenant();
		this.routing.team(tenant, "support", "ROUND_ROBIN", true);
		this.routing.agent(tenant, "ann", 5, "support");
		this.routing.presence(tenant, "ann", "ONLINE");
		Instant first = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		// One partition, in this order (the second is older: WhatsApp timestamps may be).
		String conversation = customerWrites(tenant, "393330000801", "hi", first);
		customerWrites(tenant, "393330000801", "anyone?", first.minusSeconds(30));
		customerWrites(tenant, "393330000801", "hello?", first.plusSeconds(40));
		assertThat(assignedAgent(conversation)).isEqualTo("ann");
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			Map<String, Object> row = this.database
				.sql("SELECT awaiting_since, last_customer_at FROM assignment WHERE conversation_id = :id")
				.bind("id", UUID.fromString(conversation))
				.fetch()
				.one()
				.block();
			assertThat(row).isNotNull();
			assertThat(((OffsetDateTime) row.get("awaiting_since")).toInstant()).isEqualTo(first);
			assertThat(((OffsetDateTime) row.get("last_customer_at")).toInstant()).isEqualTo(first.plusSeconds(40));
		});
		assertThat(eventsOf(conversation, ConversationAssigned.class)).hasSize(1);
	}

	@Test
	void whenAConversationIsResolvedAmongNewOnesThenTheFreedPlaceIsGivenToOneOfThem() {
		String tenant = tenant();
		this.routing.team(tenant, "support", "LEAST_LOADED", true);
		this.routing.agent(tenant, "ann", 2, "support");
		this.routing.presence(tenant, "ann", "ONLINE");
		String first = customerWrites(tenant, "393330000701", "hi", Instant.now());
		assertThat(assignedAgent(first)).isEqualTo("ann");

		// Whatever their order in a batch, ann ends with both new ones: one fits at once,
		// the other takes the place the resolved one frees (given from the queue, or
		// directly when the batch read ann's load again after the resolution).
		String second = customerWrites(tenant, "393330000702", "hi", Instant.now());
		events.publish(new ConversationStatusChanged(tenant, first, "RESOLVED", "ann", Instant.now()));
		String third = customerWrites(tenant, "393330000703", "hi", Instant.now());
		assertThat(assignedAgent(second)).isEqualTo("ann");
		assertThat(assignedAgent(third)).isEqualTo("ann");
		assertThat(this.routing.queue(tenant)).isEmpty();
	}

	@Test
	void whenNobodyIsOnlineThenConversationsQueueAndGoOutInArrivalOrderWithinCapacity() {
		String tenant = tenant();
		this.routing.team(tenant, "support", "ROUND_ROBIN", true);
		this.routing.agent(tenant, "ann", 2, "support");
		String first = customerWrites(tenant, "393330000021", "hi", Instant.now());
		awaitEvent(first, ConversationQueued.class);
		String second = customerWrites(tenant, "393330000022", "hi", Instant.now());
		awaitEvent(second, ConversationQueued.class);
		String third = customerWrites(tenant, "393330000023", "hi", Instant.now());
		awaitEvent(third, ConversationQueued.class);
		assertThat(this.routing.queue(tenant)).containsExactly(first, second, third);
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(prometheus())
				.containsPattern("switchboard_routing_queue_length\\{[^}]*team=\"support\""));

		this.routing.presence(tenant, "ann", "ONLINE");
		assertThat(assignedAgent(first)).isEqualTo("ann");
		assertThat(assignedAgent(second)).isEqualTo("ann");
		assertThat(this.routing.queue(tenant)).containsExactly(third);

		// A resolved conversation frees a place: the next in the queue takes it.
		events.publish(new ConversationStatusChanged(tenant, first, "RESOLVED", "ann", Instant.now()));
		assertThat(assignedAgent(third)).isEqualTo("ann");
	}

	@Test
	void whenAnAgentGoesOfflineThenTheirConversationsAreRequeuedAndGivenToAColleague() {
		String tenant = tenant();
		this.routing.team(tenant, "support", "ROUND_ROBIN", true);
		this.routing.agent(tenant, "ann", 5, "support");
		this.routing.agent(tenant, "bob", 5, "support");
		this.routing.presence(tenant, "ann", "ONLINE");
		String conversation = customerWrites(tenant, "393330000031", "hi", Instant.now());
		assertThat(assignedAgent(conversation)).isEqualTo("ann");

		this.routing.presence(tenant, "ann", "OFFLINE");
		ConversationQueued requeued = awaitEvent(conversation, ConversationQueued.class);
		assertThat(requeued.reason()).isEqualTo("AGENT_OFFLINE");
		assertThat(requeued.previousAgentId()).isEqualTo("ann");

		this.routing.presence(tenant, "bob", "ONLINE");
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(eventsOf(conversation, ConversationAssigned.class))
				.extracting(ConversationAssigned::agentId)
				.containsExactly("ann", "bob"));
	}

	@Test
	void whenAnAdminTransfersAndAnAgentTakesThenTheRolesAndCapacityAreChecked() {
		String tenant = tenant();
		this.routing.team(tenant, "support", "ROUND_ROBIN", true);
		this.routing.agent(tenant, "ann", 1, "support");
		this.routing.agent(tenant, "bob", 5, "support");
		String conversation = customerWrites(tenant, "393330000041", "hi", Instant.now());
		awaitEvent(conversation, ConversationQueued.class);

		this.routing.as(tenant, "bob", "AGENT")
			.put()
			.uri("/api/v1/conversations/{id}/assignment", conversation)
			.bodyValue(Map.of("agentId", "bob"))
			.exchange()
			.expectStatus()
			.isForbidden();
		this.routing.as(tenant, "ann", "AGENT")
			.post()
			.uri("/api/v1/conversations/{id}/assignment/take", conversation)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.agentId")
			.isEqualTo("ann");
		this.routing.as(tenant, "bob", "AGENT")
			.post()
			.uri("/api/v1/conversations/{id}/assignment/take", conversation)
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.CONFLICT);
		this.routing.as(tenant, "boss", "ADMIN")
			.put()
			.uri("/api/v1/conversations/{id}/assignment", conversation)
			.bodyValue(Map.of("agentId", "bob"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.agentId")
			.isEqualTo("bob");
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(eventsOf(conversation, ConversationAssigned.class))
				.extracting(ConversationAssigned::reason, ConversationAssigned::previousAgentId)
				.containsExactly(org.assertj.core.groups.Tuple.tuple("TAKEN", null),
						org.assertj.core.groups.Tuple.tuple("TRANSFER", "ann")));
		this.routing.as("another-" + tenant, "boss", "ADMIN")
			.get()
			.uri("/api/v1/conversations/{id}/assignment", conversation)
			.exchange()
			.expectStatus()
			.isNotFound();
	}

	@Test
	void whenARuleMatchesAKeywordThenTheConversationGoesToItsTeam() {
		String tenant = tenant();
		this.routing.team(tenant, "support", "ROUND_ROBIN", true);
		this.routing.team(tenant, "billing", "ROUND_ROBIN", false);
		this.routing.agent(tenant, "ann", 5, "support");
		this.routing.agent(tenant, "bea", 5, "billing");
		this.routing.presence(tenant, "ann", "ONLINE");
		this.routing.presence(tenant, "bea", "ONLINE");
		this.routing.as(tenant, "boss", "ADMIN")
			.post()
			.uri("/api/v1/routing/rules")
			.bodyValue(Map.of("priority", 1, "kind", "KEYWORD", "match", "invoice", "teamId", "billing"))
			.exchange()
			.expectStatus()
			.isCreated();
		assertThat(assignedAgent(customerWrites(tenant, "393330000051", "Where is my INVOICE?", Instant.now())))
			.isEqualTo("bea");
		assertThat(assignedAgent(customerWrites(tenant, "393330000052", "hello", Instant.now()))).isEqualTo("ann");

		this.routing.as(tenant, "boss", "ADMIN")
			.post()
			.uri("/api/v1/routing/rules")
			.bodyValue(Map.of("priority", 2, "kind", "LABEL", "match", "payment pending", "teamId", "billing"))
			.exchange()
			.expectStatus()
			.isCreated();
		String labelled = ConversationIds.of(tenant, "393330000053");
		events.publish(new MessageReceived(tenant, labelled, UUID.randomUUID().toString(), UUID.randomUUID().toString(),
				"393330000053", "wamid." + UUID.randomUUID(), "text", Instant.now(), "hello again",
				List.of("Payment Pending")));
		assertThat(assignedAgent(labelled)).isEqualTo("bea");
	}

	@Test
	void whenTeamsRulesAndTheQueueArePagedThenEachItemComesOnceInOrderAndBadPagesAreRefused() {
		String tenant = tenant();
		for (String team : List.of("gamma", "alpha", "delta", "beta", "epsilon")) {
			this.routing.team(tenant, team, "ROUND_ROBIN", false);
		}
		for (int priority : List.of(3, 1, 2)) {
			this.routing.as(tenant, "boss", "ADMIN")
				.post()
				.uri("/api/v1/routing/rules")
				.bodyValue(
						Map.of("priority", priority, "kind", "KEYWORD", "match", "word" + priority, "teamId", "beta"))
				.exchange()
				.expectStatus()
				.isCreated();
		}

		assertThat(this.routing.all(tenant, "/api/v1/teams", 2)).extracting((team) -> team.get("teamId"))
			.containsExactly("alpha", "beta", "delta", "epsilon", "gamma");
		assertThat(this.routing.all(tenant, "/api/v1/routing/rules", 2)).extracting((rule) -> rule.get("match"))
			.containsExactly("word1", "word2", "word3");
		this.routing.as(tenant, "boss", "ADMIN")
			.get()
			.uri("/api/v1/teams?limit=5")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.items.length()")
			.isEqualTo(5)
			.jsonPath("$.nextCursor")
			.doesNotExist();
		assertThat(this.routing.all(tenant(), "/api/v1/teams", 2)).as("another tenant's teams").isEmpty();
		assertThat(this.routing.all(tenant(), "/api/v1/routing/rules", 2)).as("another tenant's rules").isEmpty();

		for (String path : List.of("/api/v1/teams", "/api/v1/routing/rules", "/api/v1/routing/queue")) {
			for (String query : List.of("?limit=0", "?limit=201", "?cursor=not-a-cursor", "?cursor=YWJj")) {
				this.routing.as(tenant, "boss", "ADMIN")
					.get()
					.uri(path + query)
					.exchange()
					.expectStatus()
					.isBadRequest()
					.expectHeader()
					.contentTypeCompatibleWith("application/problem+json");
			}
		}
	}

	@Test
	void whenTheLastMessageTurnsTwentyThreeAndAHalfHoursOldThenTheWindowClosesAndTheConversationIsEscalated() {
		String tenant = tenant();
		this.routing.team(tenant, "support", "ROUND_ROBIN", true);
		this.routing.agent(tenant, "ann", 5, "support");
		this.routing.agent(tenant, "bob", 5, "support");
		this.routing.presence(tenant, "ann", "ONLINE");
		// 22.5 h old: the closing timer is not due yet, so the service's own timer poller
		// cannot escalate before bob is online.
		Instant sentAt = this.clock.instant()
			.minus(Duration.ofHours(22).plusMinutes(30))
			.truncatedTo(ChronoUnit.SECONDS);
		String conversation = customerWrites(tenant, "393330000061", "help", sentAt);
		assertThat(assignedAgent(conversation)).isEqualTo("ann");
		this.routing.presence(tenant, "bob", "ONLINE");
		this.clock.advance(Duration.ofHours(1));
		this.timers.fireDue();

		WindowClosing closing = awaitEvent(conversation, WindowClosing.class);
		assertThat(closing.unanswered()).isTrue();
		assertThat(closing.expiresAt()).isEqualTo(sentAt.plus(Duration.ofHours(24)));
		ConversationEscalated escalated = awaitEvent(conversation, ConversationEscalated.class);
		assertThat(escalated.fromAgentId()).isEqualTo("ann");
		assertThat(escalated.toAgentId()).isEqualTo("bob");
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(eventsOf(conversation, ConversationAssigned.class))
				.extracting(ConversationAssigned::reason)
				.containsExactly("AUTO", "ESCALATED"));

		this.clock.advance(Duration.ofHours(1));
		this.timers.fireDue();
		this.timers.fireDue();
		WindowExpired expired = awaitEvent(conversation, WindowExpired.class);
		assertThat(expired.unanswered()).isTrue();
		await().during(Duration.ofSeconds(2))
			.atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(eventsOf(conversation, WindowClosing.class)).hasSize(1));
		assertThat(eventsOf(conversation, WindowExpired.class)).hasSize(1);
	}

	@Test
	void whenNobodyElseIsFreeThenTheClosingConversationIsFlaggedToSupervisors() {
		String tenant = tenant();
		this.routing.team(tenant, "support", "ROUND_ROBIN", true);
		this.routing.agent(tenant, "ann", 5, "support");
		this.routing.presence(tenant, "ann", "ONLINE");
		String conversation = customerWrites(tenant, "393330000071", "help",
				this.clock.instant().minus(Duration.ofHours(23).plusMinutes(30)));
		assertThat(assignedAgent(conversation)).isEqualTo("ann");
		this.timers.fireDue();
		ConversationEscalated escalated = awaitEvent(conversation, ConversationEscalated.class);
		assertThat(escalated.toAgentId()).isNull();
		this.routing.as(tenant, "boss", "ADMIN")
			.get()
			.uri("/api/v1/conversations/{id}/assignment", conversation)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.flaggedAt")
			.isNotEmpty();
	}

	@Test
	void whenAgentsReplyThenTheServiceLevelReportCountsFirstResponsesAndExpiries() {
		String tenant = tenant();
		this.routing.team(tenant, "support", "ROUND_ROBIN", true);
		this.routing.agent(tenant, "ann", 5, "support");
		this.routing.presence(tenant, "ann", "ONLINE");
		Instant start = this.clock.instant().truncatedTo(ChronoUnit.SECONDS);
		String quick = customerWrites(tenant, "393330000081", "hi", start.minusSeconds(120));
		String late = customerWrites(tenant, "393330000082", "hi", start.minus(Duration.ofHours(25)));
		assertThat(assignedAgent(quick)).isEqualTo("ann");
		assertThat(assignedAgent(late)).isEqualTo("ann");
		events.publish(sent(tenant, quick, "ann", start.minusSeconds(60)));
		events.publish(sent(tenant, late, "ann", start));
		this.timers.fireDue();
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> this.routing.as(tenant, "boss", "ADMIN")
				.get()
				.uri("/api/v1/reports/service-levels?from={from}&to={to}", start.minus(Duration.ofDays(2)),
						start.plusSeconds(1))
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.teams[0].teamId")
				.isEqualTo("support")
				.jsonPath("$.teams[0].responses")
				.isEqualTo(2)
				.jsonPath("$.teams[0].withinWindow")
				.isEqualTo(1)
				.jsonPath("$.teams[0].withinWindowRatio")
				.isEqualTo(0.5)
				.jsonPath("$.teams[0].windowExpiries")
				.isEqualTo(1)
				.jsonPath("$.agents[0].agentId")
				.isEqualTo("ann")
				.jsonPath("$.agents[0].averageFirstResponseSeconds")
				.isEqualTo((60 + 25 * 3600) / 2));
		assertThat(prometheus()).contains("switchboard_routing_first_response_seconds_bucket")
			.contains("http_server_requests_seconds_bucket")
			.contains("switchboard_routing_windows_expired_total");
		this.routing.as(tenant, "ann", "AGENT")
			.get()
			.uri("/api/v1/reports/service-levels?from={from}&to={to}", start.minusSeconds(60), start)
			.exchange()
			.expectStatus()
			.isForbidden();
	}

	private static MessageSent sent(String tenant, String conversation, String agent, Instant at) {
		return new MessageSent(tenant, conversation, UUID.randomUUID().toString(), UUID.randomUUID().toString(),
				"393330000000", "wamid." + UUID.randomUUID(), agent, UUID.randomUUID().toString(), "text", null, null,
				at);
	}

	private String prometheus() {
		return WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.managementPort)
			.build()
			.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
	}

	/**
	 * A default team of the strategy with ann, bob and cat online, then new conversations
	 * published one right after the other.
	 */
	private List<String> burst(String tenant, String strategy, int capacity, int conversations, String waIdPrefix) {
		this.routing.team(tenant, "burst", strategy, true);
		for (String agent : List.of("ann", "bob", "cat")) {
			this.routing.agent(tenant, agent, capacity, "burst");
			this.routing.presence(tenant, agent, "ONLINE");
		}
		return IntStream.range(0, conversations)
			.mapToObj((n) -> customerWrites(tenant, waIdPrefix + "%02d".formatted(n), "hi", Instant.now()))
			.toList();
	}

	private static Map<String, Long> agentsOf(List<String> conversations) {
		return conversations.stream()
			.flatMap((conversation) -> eventsOf(conversation, ConversationAssigned.class).stream())
			.collect(Collectors.groupingBy(ConversationAssigned::agentId, Collectors.counting()));
	}

	private String assignedAgent(String conversation) {
		return awaitEvent(conversation, ConversationAssigned.class).agentId();
	}

	static String customerWrites(String tenant, String waId, String text, Instant sentAt) {
		String conversation = ConversationIds.of(tenant, waId);
		events.publish(new MessageReceived(tenant, conversation, UUID.randomUUID().toString(),
				UUID.randomUUID().toString(), waId, "wamid." + UUID.randomUUID(), "text", sentAt, text));
		return conversation;
	}

	static <E extends SwitchboardEvent> E awaitEvent(String conversation, Class<E> type) {
		return await().atMost(Duration.ofSeconds(20))
			.until(() -> eventsOf(conversation, type), (list) -> !list.isEmpty())
			.getFirst();
	}

	static <E extends SwitchboardEvent> List<E> eventsOf(String conversation, Class<E> type) {
		return events.of(type)
			.stream()
			.map(TestEvents.Received::event)
			.filter((event) -> conversation.equals(event.conversationId()))
			.map(type::cast)
			.toList();
	}

	private static String tenant() {
		return "tenant-" + UUID.randomUUID();
	}

}

package dev.switchboard.audit.device;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.switchboard.audit.AuditApi;
import dev.switchboard.events.DeviceChanged;
import dev.switchboard.events.PlanChanged;
import dev.switchboard.events.Topics;
import dev.switchboard.testsupport.IntegrationTest;
import dev.switchboard.testsupport.RealInfrastructure;
import dev.switchboard.testsupport.TestEvents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@IntegrationTest
@AutoConfigureWebTestClient
class DeviceIT {

	private static TestEvents events;

	@Autowired
	private WebTestClient http;

	@Autowired
	private DatabaseClient database;

	@Autowired
	private MeterRegistry meters;

	@Autowired
	private DeviceMetrics deviceMetrics;

	@BeforeAll
	static void connect() {
		events = new TestEvents(RealInfrastructure.get().kafkaBootstrapServers());
	}

	@AfterAll
	static void disconnect() {
		events.close();
	}

	@Test
	void whenStandardTenantGoesOverFourDevicesOrOnePhoneThenAProblemNamesTheLimitAndTheUpgrade() {
		AuditApi owner = owner();
		String phone = register(owner, "Front desk phone", "PHONE", "mario");

		Map<?, ?> secondPhone = owner.problem(owner.post("/api/v1/devices", device("Second phone", "PHONE", "anna")),
				409);
		assertThat(secondPhone.get("type")).isEqualTo("https://switchboard.dev/problems/device-limit-reached");
		assertThat(secondPhone.get("limit")).isEqualTo("phones");
		assertThat(secondPhone.get("plan")).isEqualTo("STANDARD");
		assertThat((String) secondPhone.get("detail")).contains("at most 1 phone").contains("upgrade to PREMIUM");

		register(owner, "Laptop", "DESKTOP", "anna");
		register(owner, "Tablet", "TABLET", "anna");
		register(owner, "Browser", "WEB", "luca");
		Map<?, ?> fifth = owner.problem(owner.post("/api/v1/devices", device("Another", "WEB", "luca")), 409);
		assertThat(fifth.get("limit")).isEqualTo("devices");
		assertThat((String) fifth.get("detail")).contains("at most 4 devices");
		assertThat(fifth.get("maxDevices")).isEqualTo(4);
		assertThat(devicesIn(owner)).hasSize(4);
		assertThat(limits(owner)).containsExactly("STANDARD", 4, 1, 4, 1);

		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(changes(owner.tenant(), phone)).singleElement().satisfies((event) -> {
				assertThat(event.state()).isEqualTo("ACTIVE");
				assertThat(event.version()).isEqualTo(1);
				assertThat(event.kind()).isEqualTo("PHONE");
				assertThat(event.agentId()).isEqualTo("mario");
				assertThat(event.name()).isEqualTo("Front desk phone");
			}));
		assertThat(events.of(DeviceChanged.class)).filteredOn((r) -> r.event().tenantId().equals(owner.tenant()))
			.allSatisfy((r) -> {
				assertThat(r.topic()).isEqualTo(Topics.AUDIT_EVENTS);
				assertThat(r.key()).isEqualTo(owner.tenant());
			});
	}

	@Test
	void whenPremiumThenTenDevicesWithSeveralPhones() {
		AuditApi owner = owner();
		plan(owner.tenant(), "PREMIUM", 10, 10, Instant.now());
		for (int i = 0; i < 10; i++) {
			register(owner, "Device " + i, (i < 3) ? "PHONE" : "WEB", "agent-" + i);
		}
		Map<?, ?> eleventh = owner.problem(owner.post("/api/v1/devices", device("Eleventh", "WEB", "x")), 409);
		assertThat(eleventh.get("plan")).isEqualTo("PREMIUM");
		assertThat(eleventh.get("limit")).isEqualTo("devices");
		assertThat(states(owner).values()).containsOnly("ACTIVE").hasSize(10);
		assertThat(limits(owner)).containsExactly("PREMIUM", 10, 10, 10, 3);
	}

	@Test
	void whenDowngradedThenTheNewestExtraDevicesAreSuspendedUntilTheOwnerRevokesOthers() {
		AuditApi owner = owner();
		Instant upgraded = Instant.now();
		plan(owner.tenant(), "PREMIUM", 10, 10, upgraded);
		String phoneA = register(owner, "Phone A", "PHONE", "mario");
		String desktopB = register(owner, "Desktop B", "DESKTOP", "mario");
		String phoneC = register(owner, "Phone C", "PHONE", "anna");
		String tabletD = register(owner, "Tablet D", "TABLET", "anna");
		String webE = register(owner, "Web E", "WEB", "luca");
		String desktopF = register(owner, "Desktop F", "DESKTOP", "luca");

		plan(owner.tenant(), "STANDARD", 4, 1, upgraded.plusSeconds(60));
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(states(owner)).containsExactly(Map.entry(phoneA, "ACTIVE"),
					Map.entry(desktopB, "ACTIVE"), Map.entry(phoneC, "SUSPENDED"), Map.entry(tabletD, "ACTIVE"),
					Map.entry(webE, "ACTIVE"), Map.entry(desktopF, "SUSPENDED")));
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			assertThat(changes(owner.tenant(), phoneC)).extracting(DeviceChanged::state, DeviceChanged::version)
				.containsExactly(org.assertj.core.groups.Tuple.tuple("ACTIVE", 1L),
						org.assertj.core.groups.Tuple.tuple("SUSPENDED", 2L));
			assertThat(changes(owner.tenant(), desktopF)).extracting(DeviceChanged::state)
				.containsExactly("ACTIVE", "SUSPENDED");
		});
		owner.problem(owner.post("/api/v1/devices", device("Seventh", "WEB", "x")), 409);

		Map<?, ?> revoked = owner.ok(owner.post("/api/v1/devices/" + phoneA + "/revoke"));
		assertThat(revoked.get("state")).isEqualTo("REVOKED");
		assertThat(states(owner)).containsEntry(phoneA, "REVOKED")
			.containsEntry(phoneC, "ACTIVE")
			.containsEntry(desktopF, "SUSPENDED");

		owner.ok(owner.post("/api/v1/devices/" + webE + "/revoke"));
		assertThat(states(owner)).containsEntry(desktopF, "ACTIVE").hasSize(6);
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(changes(owner.tenant(), desktopF)).extracting(DeviceChanged::state)
				.containsExactly("ACTIVE", "SUSPENDED", "ACTIVE"));
	}

	@Test
	void whenAPlanTakesEffectLaterThenTheDevicesKeepTheCurrentLimits() {
		AuditApi owner = owner();
		Instant now = Instant.now();
		plan(owner.tenant(), "PREMIUM", 10, 10, now);
		register(owner, "Phone 1", "PHONE", "mario");
		register(owner, "Phone 2", "PHONE", "anna");
		events.publish(new PlanChanged(owner.tenant(), "STANDARD", 4, 1, LocalDate.now(ZoneOffset.UTC).plusDays(3),
				now.plusSeconds(10)));
		await().atMost(Duration.ofSeconds(20))
			.until(() -> count("SELECT count(*) AS n FROM pending_plan WHERE tenant_id = :tenant",
					owner.tenant()) == 1);
		assertThat(states(owner).values()).containsOnly("ACTIVE");
	}

	@Test
	void whenADeviceIsRevokedThenItCanNoLongerBeChangedAndTheInboxIsToldWithAHigherVersion() {
		AuditApi owner = owner();
		String phone = register(owner, "Shop phone", "PHONE", "mario");
		owner.ok(owner.post("/api/v1/devices/" + phone + "/revoke"));

		Map<?, ?> rename = owner.problem(owner.patch("/api/v1/devices/" + phone, Map.of("name", "New")), 409);
		assertThat(rename.get("type")).isEqualTo("https://switchboard.dev/problems/device-revoked");
		owner.problem(owner.post("/api/v1/devices/" + phone + "/revoke"), 409);
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(changes(owner.tenant(), phone))
				.extracting(DeviceChanged::state, DeviceChanged::version)
				.containsExactly(org.assertj.core.groups.Tuple.tuple("ACTIVE", 1L),
						org.assertj.core.groups.Tuple.tuple("REVOKED", 2L)));
		// The revoked phone no longer counts: a new phone fits the STANDARD plan again.
		register(owner, "Shop phone", "PHONE", "mario");
	}

	@Test
	void whenNamesCollideThenRefusedAndARenameIsVersioned() {
		AuditApi owner = owner();
		String laptop = register(owner, "Laptop", "DESKTOP", "mario");
		register(owner, "Tablet", "TABLET", "anna");
		Map<?, ?> taken = owner.problem(owner.post("/api/v1/devices", device("laptop", "WEB", "x")), 409);
		assertThat(taken.get("type")).isEqualTo("https://switchboard.dev/problems/device-name-taken");
		owner.problem(owner.patch("/api/v1/devices/" + laptop, Map.of("name", "TABLET")), 409);

		Map<?, ?> renamed = owner.ok(owner.patch("/api/v1/devices/" + laptop, Map.of("name", "Mario's laptop")));
		assertThat(renamed.get("name")).isEqualTo("Mario's laptop");
		assertThat(renamed.get("version")).isEqualTo(2);
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(changes(owner.tenant(), laptop)).extracting(DeviceChanged::name)
				.containsExactly("Laptop", "Mario's laptop"));
	}

	@Test
	void whenInputIsBadThenNothingIsStoredAndTheRefusalIsCounted() {
		AuditApi owner = owner();
		double before = rejected("invalid-device");
		owner.problem(owner.post("/api/v1/devices", device("Fridge", "FRIDGE", "mario")), 400);
		owner.problem(owner.post("/api/v1/devices", device(" ", "WEB", "mario")), 400);
		owner.problem(owner.post("/api/v1/devices", Map.of("name", "No agent", "kind", "WEB")), 400);
		assertThat(rejected("invalid-device")).isEqualTo(before + 3);
		assertThat(devicesIn(owner)).isEmpty();
	}

	@Test
	void whenCallersLackTheRoleOrTheTenantThenForbiddenOrNotFound() {
		AuditApi owner = owner();
		String phone = register(owner, "Phone", "PHONE", "mario");
		AuditApi agent = owner.as("mario", "AGENT");
		agent.problem(agent.post("/api/v1/devices", device("Mine", "WEB", "mario")), 403);
		agent.problem(agent.post("/api/v1/devices/" + phone + "/revoke"), 403);
		agent.problem(agent.get("/api/v1/devices/limits"), 403);
		assertThat(agent.ok(agent.get("/api/v1/devices/" + phone)).get("name")).isEqualTo("Phone");
		assertThat(devicesIn(agent)).hasSize(1);

		AuditApi stranger = owner();
		stranger.problem(stranger.get("/api/v1/devices/" + phone), 404);
		stranger.problem(stranger.post("/api/v1/devices/" + phone + "/revoke"), 404);
		assertThat(devicesIn(stranger)).isEmpty();
		assertThat(states(owner)).containsEntry(phone, "ACTIVE");
	}

	@Test
	void whenListingThenCursorPagesCoverEveryDeviceOnce() {
		AuditApi owner = owner();
		plan(owner.tenant(), "PREMIUM", 10, 10, Instant.now());
		List<String> registered = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			registered.add(register(owner, "D" + i, "WEB", "mario"));
		}
		List<Object> seen = new ArrayList<>();
		String cursor = null;
		int pages = 0;
		do {
			Map<?, ?> page = owner
				.ok(owner.get("/api/v1/devices?limit=2" + ((cursor != null) ? "&cursor=" + cursor : "")));
			((List<?>) page.get("items")).forEach((item) -> seen.add(((Map<?, ?>) item).get("id")));
			cursor = (String) page.get("nextCursor");
			pages++;
		}
		while (cursor != null);
		assertThat(pages).isEqualTo(3);
		assertThat(seen).containsExactlyElementsOf(registered);
		owner.problem(owner.get("/api/v1/devices?cursor=nonsense"), 400);
		owner.problem(owner.get("/api/v1/devices?limit=0"), 400);
	}

	@Test
	void whenDevicesChangeThenTheGaugeCountsThemByState() {
		AuditApi owner = owner();
		String phone = register(owner, "Counted", "PHONE", "mario");
		this.deviceMetrics.refresh();
		double active = gauge("ACTIVE");
		double revoked = gauge("REVOKED");
		owner.ok(owner.post("/api/v1/devices/" + phone + "/revoke"));
		this.deviceMetrics.refresh();
		assertThat(gauge("REVOKED")).isGreaterThanOrEqualTo(revoked + 1);
		assertThat(active).isGreaterThanOrEqualTo(1);
	}

	private double gauge(String state) {
		return this.meters.get("switchboard.audit.devices").tag("state", state).gauge().value();
	}

	private double rejected(String reason) {
		var counter = this.meters.find("switchboard.audit.requests.rejected").tag("reason", reason).counter();
		return (counter != null) ? counter.count() : 0;
	}

	private AuditApi owner() {
		return new AuditApi(this.http, "tenant-" + UUID.randomUUID(), "olivia", "OWNER");
	}

	private static Map<String, String> device(String name, String kind, String agent) {
		return Map.of("name", name, "kind", kind, "agentId", agent);
	}

	private static String register(AuditApi api, String name, String kind, String agent) {
		Map<?, ?> created = api.http201(api.post("/api/v1/devices", device(name, kind, agent)));
		assertThat(created.get("state")).isEqualTo("ACTIVE");
		return (String) created.get("id");
	}

	private static List<Object> limits(AuditApi api) {
		Map<?, ?> limits = api.ok(api.get("/api/v1/devices/limits"));
		return java.util.Arrays.asList(limits.get("plan"), limits.get("maxDevices"), limits.get("maxPhones"),
				limits.get("devices"), limits.get("phones"));
	}

	private static List<Map<?, ?>> devicesIn(AuditApi api) {
		List<Map<?, ?>> devices = new ArrayList<>();
		((List<?>) api.ok(api.get("/api/v1/devices?limit=100")).get("items"))
			.forEach((item) -> devices.add((Map<?, ?>) item));
		return devices;
	}

	private static Map<String, String> states(AuditApi api) {
		Map<String, String> states = new java.util.LinkedHashMap<>();
		devicesIn(api).forEach((d) -> states.put((String) d.get("id"), (String) d.get("state")));
		return states;
	}

	private void plan(String tenant, String plan, int maxDevices, int maxPhones, Instant changedAt) {
		events.publish(new PlanChanged(tenant, plan, maxDevices, maxPhones, LocalDate.now(ZoneOffset.UTC), changedAt));
		await().atMost(Duration.ofSeconds(20))
			.until(() -> count("SELECT count(*) AS n FROM tenant_plan WHERE tenant_id = :tenant AND plan = '" + plan
					+ "' AND changed_at = '" + changedAt + "'", tenant) == 1);
	}

	private long count(String sql, String tenant) {
		Long n = this.database.sql(sql).bind("tenant", tenant).map((row) -> row.get("n", Long.class)).one().block();
		return (n != null) ? n : 0;
	}

	private static List<DeviceChanged> changes(String tenant, String deviceId) {
		return events.of(DeviceChanged.class)
			.stream()
			.map((r) -> (DeviceChanged) r.event())
			.filter((e) -> e.tenantId().equals(tenant) && e.deviceId().equals(deviceId))
			.sorted(java.util.Comparator.comparingLong(DeviceChanged::version))
			.toList();
	}

}

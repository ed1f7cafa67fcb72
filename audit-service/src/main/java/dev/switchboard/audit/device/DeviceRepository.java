package dev.switchboard.audit.device;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.switchboard.events.PlanChanged;
import dev.switchboard.support.web.TimeCursor;

/** Devices and plans, always within one tenant. */
@Repository
class DeviceRepository {

	private static final String COLUMNS = "id, tenant_id, agent_id, name, kind, state, version, registered_at, changed_at";

	private final DatabaseClient database;

	DeviceRepository(DatabaseClient database) {
		this.database = database;
	}

	/**
	 * Serialises changes of a tenant's devices until the transaction ends, so limits and
	 * names are checked against what is really there.
	 */
	Mono<Void> lockTenant(String tenantId) {
		return this.database.sql("SELECT pg_advisory_xact_lock(hashtextextended('audit.device:' || :tenant, 0))")
			.bind("tenant", tenantId)
			.then();
	}

	Mono<Device> find(String tenantId, UUID id) {
		return this.database.sql("SELECT " + COLUMNS + " FROM device WHERE tenant_id = :tenant AND id = :id")
			.bind("tenant", tenantId)
			.bind("id", id)
			.map(DeviceRepository::device)
			.one();
	}

	/** The tenant's devices that are not revoked, oldest first. */
	Flux<Device> notRevoked(String tenantId) {
		return this.database
			.sql("SELECT " + COLUMNS + " FROM device WHERE tenant_id = :tenant AND state <> 'REVOKED'"
					+ " ORDER BY registered_at, id")
			.bind("tenant", tenantId)
			.map(DeviceRepository::device)
			.all();
	}

	Mono<Boolean> nameTaken(String tenantId, String name, @Nullable UUID except) {
		return this.database.sql("""
				SELECT 1 FROM device WHERE tenant_id = :tenant AND lower(name) = lower(:name) AND state <> 'REVOKED'
				AND id <> :except""")
			.bind("tenant", tenantId)
			.bind("name", name)
			.bind("except", (except != null) ? except : new UUID(0, 0))
			.map((row) -> true)
			.all()
			.hasElements();
	}

	Mono<Void> insert(Device device) {
		return this.database.sql("""
				INSERT INTO device (id, tenant_id, agent_id, name, kind, state, version, registered_at, changed_at)
				VALUES (:id, :tenant, :agent, :name, :kind, :state, :version, :registeredAt, :changedAt)""")
			.bind("id", device.id())
			.bind("tenant", device.tenantId())
			.bind("agent", device.agentId())
			.bind("name", device.name())
			.bind("kind", device.kind().name())
			.bind("state", device.state().name())
			.bind("version", device.version())
			.bind("registeredAt", utc(device.registeredAt()))
			.bind("changedAt", utc(device.changedAt()))
			.then();
	}

	Mono<Void> update(Device device) {
		return this.database.sql("""
				UPDATE device SET name = :name, state = :state, version = :version, changed_at = :changedAt
				WHERE tenant_id = :tenant AND id = :id AND version = :version - 1""")
			.bind("id", device.id())
			.bind("tenant", device.tenantId())
			.bind("name", device.name())
			.bind("state", device.state().name())
			.bind("version", device.version())
			.bind("changedAt", utc(device.changedAt()))
			.fetch()
			.rowsUpdated()
			.flatMap((updated) -> (updated == 1) ? Mono.<Void>empty()
					: Mono.error(new IllegalStateException("Device " + device.id() + " changed concurrently")));
	}

	Mono<List<Device>> page(String tenantId, @Nullable DeviceState state, @Nullable String agentId, int limit,
			@Nullable TimeCursor after) {
		StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM device WHERE tenant_id = :tenant");
		if (state != null) {
			sql.append(" AND state = :state");
		}
		if (agentId != null) {
			sql.append(" AND agent_id = :agent");
		}
		if (after != null) {
			sql.append(" AND (registered_at, id) > (:afterAt, :afterId)");
		}
		sql.append(" ORDER BY registered_at, id LIMIT :limit");
		DatabaseClient.GenericExecuteSpec spec = this.database.sql(sql.toString())
			.bind("tenant", tenantId)
			.bind("limit", limit + 1);
		if (state != null) {
			spec = spec.bind("state", state.name());
		}
		if (agentId != null) {
			spec = spec.bind("agent", agentId);
		}
		if (after != null) {
			spec = spec.bind("afterAt", utc(after.at())).bind("afterId", after.id());
		}
		return spec.map(DeviceRepository::device).all().collectList();
	}

	Mono<PlanLimits> limits(String tenantId) {
		return this.database.sql("SELECT plan, max_devices, max_phones FROM tenant_plan WHERE tenant_id = :tenant")
			.bind("tenant", tenantId)
			.map((row) -> new PlanLimits(row.get("plan", String.class), row.get("max_devices", Integer.class),
					row.get("max_phones", Integer.class)))
			.one()
			.defaultIfEmpty(PlanLimits.STANDARD);
	}

	/**
	 * Stores the plan in effect unless a newer change is already stored.
	 * @return whether it was stored
	 */
	Mono<Boolean> savePlan(PlanChanged plan) {
		return planUpsert("tenant_plan", plan);
	}

	Mono<Boolean> savePendingPlan(PlanChanged plan) {
		return planUpsert("pending_plan", plan);
	}

	/** Drops a pending change that an at least as new change supersedes. */
	Mono<Void> dropPendingPlanOlderThan(String tenantId, Instant changedAt) {
		return this.database.sql("DELETE FROM pending_plan WHERE tenant_id = :tenant AND changed_at <= :changedAt")
			.bind("tenant", tenantId)
			.bind("changedAt", utc(changedAt))
			.then();
	}

	/** Pending changes whose day has come, removed as they are returned. */
	Flux<PlanChanged> takeDuePlans(LocalDate today) {
		return this.database.sql("""
				DELETE FROM pending_plan WHERE effective_from <= :today
				RETURNING tenant_id, plan, max_devices, max_phones, effective_from, changed_at""")
			.bind("today", today)
			.map((row) -> new PlanChanged(row.get("tenant_id", String.class), row.get("plan", String.class),
					row.get("max_devices", Integer.class), row.get("max_phones", Integer.class),
					row.get("effective_from", LocalDate.class), instant(row, "changed_at")))
			.all();
	}

	Flux<StateCount> countByState() {
		return this.database.sql("SELECT state, count(*) AS devices FROM device GROUP BY state")
			.map((row) -> new StateCount(row.get("state", String.class), row.get("devices", Long.class)))
			.all();
	}

	private Mono<Boolean> planUpsert(String table, PlanChanged plan) {
		return this.database.sql("INSERT INTO " + table + """
				 (tenant_id, plan, max_devices, max_phones, effective_from, changed_at)
				VALUES (:tenant, :plan, :maxDevices, :maxPhones, :effectiveFrom, :changedAt)
				ON CONFLICT (tenant_id) DO UPDATE SET plan = EXCLUDED.plan, max_devices = EXCLUDED.max_devices,
				    max_phones = EXCLUDED.max_phones, effective_from = EXCLUDED.effective_from,
				    changed_at = EXCLUDED.changed_at
				""" + " WHERE " + table + ".changed_at <= EXCLUDED.changed_at")
			.bind("tenant", plan.tenantId())
			.bind("plan", plan.plan())
			.bind("maxDevices", plan.maxDevices())
			.bind("maxPhones", plan.maxPhones())
			.bind("effectiveFrom", plan.effectiveFrom())
			.bind("changedAt", utc(plan.changedAt()))
			.fetch()
			.rowsUpdated()
			.map((count) -> count > 0);
	}

	private static Device device(Readable row) {
		return new Device(row.get("id", UUID.class), row.get("tenant_id", String.class),
				row.get("agent_id", String.class), row.get("name", String.class),
				DeviceKind.valueOf(row.get("kind", String.class)), DeviceState.valueOf(row.get("state", String.class)),
				row.get("version", Long.class), instant(row, "registered_at"), instant(row, "changed_at"));
	}

	private static Instant instant(Readable row, String column) {
		OffsetDateTime value = row.get(column, OffsetDateTime.class);
		if (value == null) {
			throw new IllegalStateException(column + " is never null");
		}
		return value.toInstant();
	}

	private static OffsetDateTime utc(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

	/**
	 * How many devices are in a state.
	 *
	 * @param state the state
	 * @param devices how many
	 */
	record StateCount(String state, long devices) {

	}

}

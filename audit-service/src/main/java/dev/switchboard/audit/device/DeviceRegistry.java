package dev.switchboard.audit.device;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.switchboard.support.outbox.OutboxWriter;

/**
 * Registers, renames and revokes devices within the plan's limits, and keeps every
 * device's state in line with those limits. Every change of a device is written with its
 * {@code DeviceChanged} event in one transaction.
 *
 * <p>
 * The limit rule: walking the tenant's devices that are not revoked from the oldest
 * registered, a device is ACTIVE while the count of active devices and (for a phone) of
 * active phones stays within the plan; every other one is SUSPENDED. A downgrade
 * therefore suspends the newest devices first; revoking a device, or an upgrade,
 * reinstates the oldest suspended ones that fit again.
 */
@Service
class DeviceRegistry {

	private final DeviceRepository devices;

	private final OutboxWriter outbox;

	private final TransactionalOperator transactions;

	private final Clock clock;

	DeviceRegistry(DeviceRepository devices, OutboxWriter outbox, TransactionalOperator transactions, Clock clock) {
		this.devices = devices;
		this.outbox = outbox;
		this.transactions = transactions;
		this.clock = clock;
	}

	Mono<Device> register(String tenantId, String agentId, String name, DeviceKind kind) {
		return this.devices.lockTenant(tenantId)
			.then(this.devices.nameTaken(tenantId, name, null))
			.flatMap((taken) -> taken ? Mono.error(new NameTakenException(name)) : this.devices.limits(tenantId))
			.zipWhen((limits) -> this.devices.notRevoked(tenantId).collectList())
			.flatMap((both) -> {
				PlanLimits limits = both.getT1();
				List<Device> linked = both.getT2();
				long phones = linked.stream().filter((device) -> device.kind() == DeviceKind.PHONE).count();
				if (linked.size() >= limits.maxDevices()) {
					return Mono.error(new LimitException("devices", limits, linked.size(), phones));
				}
				if (kind == DeviceKind.PHONE && phones >= limits.maxPhones()) {
					return Mono.error(new LimitException("phones", limits, linked.size(), phones));
				}
				Device device = Device.register(tenantId, agentId, name, kind, now());
				return this.devices.insert(device).then(this.outbox.append(device.changed())).thenReturn(device);
			})
			.as(this.transactions::transactional);
	}

	Mono<Device> rename(String tenantId, UUID id, String name) {
		return this.devices.lockTenant(tenantId)
			.then(this.devices.find(tenantId, id))
			.switchIfEmpty(Mono.error(new UnknownDeviceException(id)))
			.flatMap((device) -> {
				if (device.name().equals(name)) {
					return Mono.just(device);
				}
				Device renamed = device.renamed(name, now());
				return this.devices.nameTaken(tenantId, name, id)
					.flatMap((taken) -> taken ? Mono.error(new NameTakenException(name)) : save(renamed));
			})
			.as(this.transactions::transactional);
	}

	Mono<Device> revoke(String tenantId, UUID id) {
		return this.devices.lockTenant(tenantId)
			.then(this.devices.find(tenantId, id))
			.switchIfEmpty(Mono.error(new UnknownDeviceException(id)))
			.flatMap((device) -> save(device.revoked(now())))
			.flatMap((revoked) -> rebalance(tenantId).thenReturn(revoked))
			.as(this.transactions::transactional);
	}

	/**
	 * Brings every device's state in line with the plan; run inside a transaction holding
	 * the tenant's lock.
	 * @param tenantId the tenant
	 * @return the devices whose state changed
	 */
	Mono<List<Device>> rebalance(String tenantId) {
		return this.devices.limits(tenantId)
			.zipWith(this.devices.notRevoked(tenantId).collectList())
			.flatMapMany((both) -> Flux.fromIterable(changes(both.getT1(), both.getT2(), now())))
			.concatMap((device) -> save(device))
			.collectList();
	}

	/**
	 * The limit rule, as a pure function.
	 * @param limits the plan's limits
	 * @param linked the devices not revoked, oldest first
	 * @param at when
	 * @return the devices whose state must change, changed
	 */
	static List<Device> changes(PlanLimits limits, List<Device> linked, Instant at) {
		List<Device> changed = new ArrayList<>();
		int active = 0;
		int phones = 0;
		for (Device device : linked) {
			boolean phone = device.kind() == DeviceKind.PHONE;
			boolean fits = active < limits.maxDevices() && (!phone || phones < limits.maxPhones());
			if (fits) {
				active++;
				phones += phone ? 1 : 0;
			}
			DeviceState target = fits ? DeviceState.ACTIVE : DeviceState.SUSPENDED;
			if (device.state() != target) {
				changed.add(device.withState(target, at));
			}
		}
		return changed;
	}

	/**
	 * The plan's limits and the devices that count against them, as {@link #register}
	 * counts them.
	 * @param tenantId the tenant
	 * @return the limits and the counts
	 */
	Mono<Usage> usage(String tenantId) {
		return this.devices.limits(tenantId)
			.zipWith(this.devices.notRevoked(tenantId).collectList(), (limits, linked) -> {
				long phones = linked.stream().filter((device) -> device.kind() == DeviceKind.PHONE).count();
				return new Usage(limits, linked.size(), phones);
			});
	}

	Mono<Device> find(String tenantId, UUID id) {
		return this.devices.find(tenantId, id).switchIfEmpty(Mono.error(new UnknownDeviceException(id)));
	}

	private Mono<Device> save(Device device) {
		return this.devices.update(device).then(this.outbox.append(device.changed())).thenReturn(device);
	}

	private Instant now() {
		return this.clock.instant();
	}

	/**
	 * A plan's limits and what counts against them.
	 *
	 * @param limits the plan's limits
	 * @param devices devices not revoked
	 * @param phones phones not revoked
	 */
	record Usage(PlanLimits limits, long devices, long phones) {

	}

	/** No such device in the caller's tenant. */
	static class UnknownDeviceException extends RuntimeException {

		UnknownDeviceException(UUID id) {
			super("No device " + id + " in this tenant");
		}

	}

	/** Another device that is not revoked has the name. */
	static class NameTakenException extends RuntimeException {

		NameTakenException(String name) {
			super("Another device of this tenant is already named '" + name + "'; choose another name");
		}

	}

	/** The plan links no further device of this kind. */
	static class LimitException extends RuntimeException {

		private final String limit;

		private final PlanLimits limits;

		LimitException(String limit, PlanLimits limits, long devices, long phones) {
			super(("devices".equals(limit)
					? "The " + limits.plan() + " plan links at most " + limits.maxDevices()
							+ " devices and this tenant has " + devices + " (suspended ones count). "
					: "The " + limits.plan() + " plan links at most " + limits.maxPhones()
							+ ((limits.maxPhones() == 1) ? " phone" : " phones") + " and this tenant has " + phones
							+ ". ")
					+ limits.upgradeHint());
			this.limit = limit;
			this.limits = limits;
		}

		String limit() {
			return this.limit;
		}

		PlanLimits limits() {
			return this.limits;
		}

	}

}

package dev.switchboard.audit.device;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

import dev.switchboard.audit.log.EventProjection;
import dev.switchboard.events.PlanChanged;
import dev.switchboard.events.SwitchboardEvent;

/**
 * Applies billing's plan changes to the device registry: a change whose day has come
 * (UTC) applies at once, a later one when its day comes. Applying a plan suspends or
 * reinstates devices by {@link DeviceRegistry}'s limit rule; a downgrade never deletes a
 * device.
 */
@Component
class DevicePlans implements EventProjection {

	private static final Logger logger = LoggerFactory.getLogger(DevicePlans.class);

	private final DeviceRepository devices;

	private final DeviceRegistry registry;

	private final TransactionalOperator transactions;

	private final Clock clock;

	DevicePlans(DeviceRepository devices, DeviceRegistry registry, TransactionalOperator transactions, Clock clock) {
		this.devices = devices;
		this.registry = registry;
		this.transactions = transactions;
		this.clock = clock;
	}

	@Override
	public Mono<Void> project(SwitchboardEvent event) {
		if (!(event instanceof PlanChanged plan)) {
			return Mono.empty();
		}
		return this.devices.lockTenant(plan.tenantId()).then(Mono.defer(() -> {
			if (plan.effectiveFrom().isAfter(today())) {
				return this.devices.savePendingPlan(plan).then();
			}
			return apply(plan);
		}));
	}

	/** Applies the plan changes whose day has come. */
	@Scheduled(fixedDelayString = "${switchboard.audit.plan-check-interval:1m}", initialDelay = 5000)
	void applyDue() {
		try {
			this.devices.takeDuePlans(today())
				.concatMap((plan) -> this.devices.lockTenant(plan.tenantId()).then(apply(plan)))
				.then()
				.as(this.transactions::transactional)
				.block(Duration.ofMinutes(1));
		}
		catch (RuntimeException ex) {
			logger.warn("Applying due plan changes failed; retrying at the next interval", ex);
		}
	}

	private Mono<Void> apply(PlanChanged plan) {
		return this.devices.savePlan(plan)
			.flatMap((stored) -> stored ? this.devices.dropPendingPlanOlderThan(plan.tenantId(), plan.changedAt())
				.then(this.registry.rebalance(plan.tenantId()))
				.then() : Mono.empty());
	}

	private LocalDate today() {
		return LocalDate.ofInstant(this.clock.instant(), ZoneOffset.UTC);
	}

}

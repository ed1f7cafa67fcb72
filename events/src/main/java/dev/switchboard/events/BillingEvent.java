package dev.switchboard.events;

/** Events billing publishes. */
public sealed interface BillingEvent extends SwitchboardEvent permits PlanChanged {

}

/**
 * Tenants' plans: set, upgrade, downgrade and cancel with effective dates; PlanChanged
 * events.
 */
@NullMarked
package dev.switchboard.billing.plan;

import org.jspecify.annotations.NullMarked;

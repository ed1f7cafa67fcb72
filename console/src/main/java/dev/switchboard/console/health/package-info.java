/**
 * The platform SRE's page: the gateway's health and metrics, links to Grafana.
 */
@NullMarked
package dev.switchboard.console.health;

import org.jspecify.annotations.NullMarked;

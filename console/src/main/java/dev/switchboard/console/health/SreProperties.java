package dev.switchboard.console.health;

import java.net.URI;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What the platform's SRE reads in the console.
 *
 * @param gatewayManagementUri the gateway's management port (health, metrics), which the
 * gateway does not route
 * @param grafanaUri Grafana's address as browsers reach it
 * @param dashboards the provisioned dashboards linked from the page
 */
@ConfigurationProperties("switchboard.console.sre")
record SreProperties(@DefaultValue("http://127.0.0.1:9080") URI gatewayManagementUri,
		@DefaultValue("http://127.0.0.1:3000") URI grafanaUri, @DefaultValue List<Dashboard> dashboards) {

	/**
	 * A dashboard.
	 *
	 * @param uid its uid in Grafana (the JSON's {@code uid})
	 * @param title what the link says
	 */
	record Dashboard(String uid, String title) {

	}

	/** A dashboard's address. */
	String link(Dashboard dashboard) {
		String base = this.grafanaUri.toString();
		return (base.endsWith("/") ? base : base + "/") + "d/" + dashboard.uid();
	}

}

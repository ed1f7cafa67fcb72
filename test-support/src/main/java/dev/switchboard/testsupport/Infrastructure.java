package dev.switchboard.testsupport;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A running Kafka broker and PostgreSQL database.
 *
 * @param kafkaBootstrapServers the broker's bootstrap servers
 * @param database the database
 * @param backend what provides them, for the test log
 */
public record Infrastructure(String kafkaBootstrapServers, Database database, String backend) {

	/**
	 * The settings every Switchboard service reads to reach Kafka and its database.
	 * @return Spring property names and values
	 */
	public Map<String, String> springProperties() {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("spring.kafka.bootstrap-servers", this.kafkaBootstrapServers);
		properties.put("spring.cloud.stream.kafka.binder.brokers", this.kafkaBootstrapServers);
		properties.put("switchboard.db.host", this.database.host());
		properties.put("switchboard.db.port", Integer.toString(this.database.port()));
		properties.put("switchboard.db.name", this.database.name());
		properties.put("switchboard.db.username", this.database.username());
		properties.put("switchboard.db.password", this.database.password());
		return properties;
	}

}

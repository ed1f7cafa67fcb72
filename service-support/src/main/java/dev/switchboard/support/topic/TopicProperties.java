package dev.switchboard.support.topic;

import java.util.stream.Stream;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.kafka.config.TopicBuilder;

import dev.switchboard.events.Topics;

/**
 * How the platform's topics are created where they are missing. The defaults suit one
 * local broker; production sets 3 and 2 (deploy/k8s/switchboard-config.yaml), the same as
 * the topics that deploy/k8s/kafka-topics declares, and at least as many partitions as a
 * consuming service may run listener threads across its replicas.
 *
 * @param partitions each topic's partitions: the upper bound of a consumer group's
 * parallelism
 * @param replicationFactor each partition's copies
 * @param minInsyncReplicas the copies that must have a record before an {@code acks=all}
 * producer (every producer of the platform) is told it was written
 */
@ConfigurationProperties("switchboard.kafka")
public record TopicProperties(@DefaultValue("4") int partitions, @DefaultValue("1") short replicationFactor,
		@DefaultValue("1") int minInsyncReplicas) {

	/**
	 * Every topic of the platform and the service's own dead-letter topic.
	 * @param applicationName the service's name ({@code spring.application.name})
	 * @return the topics to create where missing
	 */
	public NewTopic[] newTopics(String applicationName) {
		return Stream.concat(Topics.ALL.stream(), Stream.of(Topics.deadLetters(applicationName)))
			.map((topic) -> TopicBuilder.name(topic)
				.partitions(this.partitions)
				.replicas(this.replicationFactor)
				.config(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(this.minInsyncReplicas))
				.build())
			.toArray(NewTopic[]::new);
	}

}

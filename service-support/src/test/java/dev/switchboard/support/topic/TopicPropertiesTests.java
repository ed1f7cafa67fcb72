package dev.switchboard.support.topic;

import java.util.Map;

import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import dev.switchboard.events.Topics;

import static org.assertj.core.api.Assertions.assertThat;

class TopicPropertiesTests {

	@Test
	void whenNothingIsConfiguredThenTopicsSuitOneLocalBroker() {
		TopicProperties properties = bind(Map.of());

		assertThat(properties).isEqualTo(new TopicProperties(4, (short) 1, 1));
	}

	@Test
	void whenProductionValuesAreConfiguredThenEveryTopicAndTheDeadLettersGetThem() {
		TopicProperties properties = bind(Map.of("switchboard.kafka.partitions", "12",
				"switchboard.kafka.replication-factor", "3", "switchboard.kafka.min-insync-replicas", "2"));

		NewTopic[] topics = properties.newTopics("inbox-service");

		assertThat(topics).extracting(NewTopic::name)
			.containsAll(Topics.ALL)
			.contains(Topics.deadLetters("inbox-service"))
			.hasSize(Topics.ALL.size() + 1);
		assertThat(topics).allSatisfy((topic) -> {
			assertThat(topic.numPartitions()).isEqualTo(12);
			assertThat(topic.replicationFactor()).isEqualTo((short) 3);
			assertThat(topic.configs()).containsEntry("min.insync.replicas", "2");
		});
	}

	private static TopicProperties bind(Map<String, String> values) {
		return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("switchboard.kafka",
				TopicProperties.class);
	}

}

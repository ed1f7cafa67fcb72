package dev.switchboard.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.switchboard.events.Topics;

/**
 * Kafka's own {@code kafka-producer-perf-test} ({@code ProducerPerformance}, in a child
 * JVM because it ends with {@code System.exit}) on the same broker with the record size
 * of the gateway's inbound records, and the producer settings the gateway uses
 * ({@code acks=all}, idempotent).
 */
final class ProducerPerf {

	private static final Pattern SUMMARY = Pattern
		.compile("(\\d+) records sent, ([0-9.]+) records/sec \\(([0-9.]+) MB/sec\\), ([0-9.]+) ms avg latency");

	private ProducerPerf() {
	}

	/**
	 * The mean value size of the gateway's inbound records on the broker.
	 * @param bootstrapServers the broker
	 * @return bytes (500 when there is nothing to measure)
	 */
	static int inboundRecordSize(String bootstrapServers) {
		Properties properties = new Properties();
		properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
		properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
		properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
		try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties)) {
			List<TopicPartition> partitions = consumer.partitionsFor(Topics.WHATSAPP_INBOUND, Duration.ofSeconds(10))
				.stream()
				.map((info) -> new TopicPartition(info.topic(), info.partition()))
				.toList();
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			long total = 0;
			int count = 0;
			for (int poll = 0; poll < 10 && count < 1000; poll++) {
				for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
					total += record.serializedValueSize();
					count++;
				}
			}
			return (count == 0) ? 500 : (int) (total / count);
		}
	}

	/**
	 * Runs the perf test.
	 * @param bootstrapServers the broker
	 * @param records how many records
	 * @param recordSize bytes per record
	 * @param log where its output goes
	 * @return the summary, or null if the tool failed
	 * @throws IOException if its output cannot be read
	 */
	static Summary run(String bootstrapServers, long records, int recordSize, Path log) throws IOException {
		Files.deleteIfExists(log);
		int exit = Processes.run(log, List.of(Processes.java(), "-Xmx512m", "-cp", Processes.classpath(),
				"org.apache.kafka.tools.ProducerPerformance", "--topic", "switchboard.bench.perf", "--num-records",
				Long.toString(records), "--record-size", Integer.toString(recordSize), "--throughput", "-1",
				"--producer-props", "bootstrap.servers=" + bootstrapServers, "acks=all", "enable.idempotence=true"));
		Summary summary = null;
		for (String line : Files.readAllLines(log)) {
			Matcher matcher = SUMMARY.matcher(line);
			if (matcher.find()) {
				summary = new Summary(Long.parseLong(matcher.group(1)), Double.parseDouble(matcher.group(2)),
						Double.parseDouble(matcher.group(3)), Double.parseDouble(matcher.group(4)), recordSize);
			}
		}
		if (exit != 0 && summary == null) {
			throw new IOException("kafka-producer-perf-test failed (exit " + exit + "); see " + log);
		}
		return summary;
	}

	/**
	 * The tool's final line.
	 *
	 * @param records records sent
	 * @param recordsPerSecond throughput
	 * @param megabytesPerSecond throughput
	 * @param averageLatencyMillis average latency
	 * @param recordSize record size used
	 */
	record Summary(long records, double recordsPerSecond, double megabytesPerSecond, double averageLatencyMillis,
			int recordSize) {

	}

}

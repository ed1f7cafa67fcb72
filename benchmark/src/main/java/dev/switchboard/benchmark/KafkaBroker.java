package dev.switchboard.benchmark;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.kafka.common.Uuid;

/**
 * A real Apache Kafka broker (KRaft, broker and controller in one) in a child JVM, on a
 * fixed port, so that it can be stopped and started again where the services expect it.
 */
final class KafkaBroker implements AutoCloseable {

	private final Path directory;

	private final Path config;

	private final Path log;

	private final int port;

	private Process process;

	private KafkaBroker(Path directory, int port, int controllerPort) throws IOException {
		this.directory = directory;
		this.port = port;
		this.config = directory.resolve("server.properties");
		this.log = directory.resolve("kafka.log");
		Files.writeString(this.config, """
				process.roles=broker,controller
				node.id=1
				controller.quorum.voters=1@127.0.0.1:%d
				listeners=PLAINTEXT://127.0.0.1:%d,CONTROLLER://127.0.0.1:%d
				advertised.listeners=PLAINTEXT://127.0.0.1:%d
				controller.listener.names=CONTROLLER
				listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
				inter.broker.listener.name=PLAINTEXT
				log.dirs=%s
				num.partitions=4
				auto.create.topics.enable=true
				offsets.topic.replication.factor=1
				offsets.topic.num.partitions=4
				transaction.state.log.replication.factor=1
				transaction.state.log.min.isr=1
				share.coordinator.state.topic.replication.factor=1
				share.coordinator.state.topic.min.isr=1
				group.initial.rebalance.delay.ms=0
				""".formatted(controllerPort, port, controllerPort, port, directory.resolve("data")));
	}

	/**
	 * Formats a fresh log directory and starts the broker on free ports.
	 * @param directory where its configuration, data and log go
	 * @return the running broker
	 * @throws IOException if it cannot start
	 */
	static KafkaBroker start(Path directory) throws IOException {
		Files.createDirectories(directory);
		KafkaBroker broker = new KafkaBroker(directory, Processes.freePort(), Processes.freePort());
		int formatted = Processes.run(broker.log,
				List.of(Processes.java(), "-cp", Processes.classpath(), "kafka.tools.StorageTool", "format", "-t",
						Uuid.randomUuid().toString(), "-c", broker.config.toString()));
		if (formatted != 0) {
			throw new IOException("Formatting Kafka's log directory failed; see " + broker.log);
		}
		broker.start();
		return broker;
	}

	/**
	 * Starts the broker process (again) and waits until it accepts connections.
	 * @throws IOException if it does not
	 */
	void start() throws IOException {
		this.process = new ProcessBuilder(Processes.java(), "-Xms256m", "-Xmx512m", "-cp", Processes.classpath(),
				"kafka.Kafka", this.config.toString())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.log.toFile()))
			.start();
		Instant deadline = Instant.now().plus(Duration.ofSeconds(180));
		while (!accepts()) {
			if (!this.process.isAlive() || Instant.now().isAfter(deadline)) {
				this.process.destroyForcibly();
				throw new IOException("Kafka did not start; see " + this.log);
			}
			Processes.sleep(200);
		}
	}

	/** Stops the broker gracefully (SIGTERM, as {@code kafka-server-stop} does). */
	void stop() {
		if (this.process != null) {
			Processes.stop(this.process, 60);
		}
	}

	String bootstrapServers() {
		return "127.0.0.1:" + this.port;
	}

	long pid() {
		return (this.process != null) ? this.process.pid() : -1;
	}

	Path directory() {
		return this.directory;
	}

	private boolean accepts() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 500);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	@Override
	public void close() {
		stop();
	}

}

package dev.switchboard.local.deploy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the monitoring tools on the {@code PATH}: Debian's {@code prometheus} package
 * (prometheus, promtool) and {@code prometheus-postgres-exporter}.
 */
final class Binaries {

	static final String INSTALL_HINT = "install it with: apt-get install -y prometheus prometheus-postgres-exporter "
			+ "(CI does, in .ci/run)";

	private Binaries() {
	}

	static Optional<Path> find(String... names) {
		String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
		return Stream.of(names)
			.flatMap((name) -> Stream.of(path.split(File.pathSeparator)).map((directory) -> Path.of(directory, name)))
			.filter(Files::isExecutable)
			.findFirst();
	}

	static Optional<Path> promtool() {
		return find("promtool");
	}

	static Optional<Path> prometheus() {
		return find("prometheus");
	}

	static Optional<Path> postgresExporter() {
		return find("prometheus-postgres-exporter", "postgres_exporter");
	}

}

package dev.switchboard.local.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository root (the directory with {@code deploy/}) from a module. */
final class Repository {

	private Repository() {
	}

	static Path root() {
		Path directory = Path.of("").toAbsolutePath();
		while (directory != null && !Files.isDirectory(directory.resolve("deploy/prometheus"))) {
			directory = directory.getParent();
		}
		if (directory == null) {
			throw new IllegalStateException("No deploy/prometheus above " + Path.of("").toAbsolutePath());
		}
		return directory;
	}

	static Path deploy() {
		return root().resolve("deploy");
	}

}

package dev.switchboard.audit.witness;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * An append-only directory of checkpoints: {@code <directory>/<origin>/<tree size>}, the
 * origin percent-encoded into one directory name, one file per checkpoint holding its
 * signed note. A file is written to a temporary name, synced and then linked to its final
 * name, which fails if that name exists, so a checkpoint appears whole or not at all and
 * is never overwritten; a different checkpoint for a size already held is refused. The
 * latest is found by listing. On its own machine this protects against a database
 * superuser, not against whoever controls the directory: production keeps checkpoints in
 * an object store with object lock (WORM) or hands them to an HTTP witness.
 */
public class DirectoryWitness implements CheckpointWitness {

	private final Path directory;

	public DirectoryWitness(Path directory) {
		this.directory = directory.toAbsolutePath().normalize();
	}

	@Override
	public void add(Checkpoint checkpoint, String note) throws IOException {
		Path log = this.directory.resolve(encode(checkpoint.origin()));
		Files.createDirectories(log);
		Path target = log.resolve(Long.toString(checkpoint.treeSize()));
		if (Files.exists(target)) {
			requireSame(target, checkpoint);
			return;
		}
		Path temporary = log.resolve("." + checkpoint.treeSize() + "." + UUID.randomUUID() + ".tmp");
		try {
			try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW,
					StandardOpenOption.WRITE)) {
				channel.write(StandardCharsets.UTF_8.encode(note));
				channel.force(true);
			}
			readOnly(temporary);
			try {
				Files.createLink(target, temporary);
			}
			catch (FileAlreadyExistsException ex) {
				requireSame(target, checkpoint);
				return;
			}
			catch (UnsupportedOperationException ex) {
				// Without hard links, a move that refuses an existing target.
				Files.move(temporary, target);
			}
			syncDirectory(log);
		}
		catch (FileAlreadyExistsException ex) {
			requireSame(target, checkpoint);
		}
		finally {
			Files.deleteIfExists(temporary);
		}
	}

	@Override
	public Optional<String> latest(String origin) throws IOException {
		Path log = this.directory.resolve(encode(origin));
		if (!Files.isDirectory(log)) {
			return Optional.empty();
		}
		OptionalLong largest;
		try (Stream<Path> files = Files.list(log)) {
			largest = files.map((file) -> file.getFileName().toString())
				.filter((name) -> name.matches("0|[1-9][0-9]{0,18}"))
				.mapToLong(Long::parseLong)
				.max();
		}
		if (largest.isEmpty()) {
			return Optional.empty();
		}
		return Optional.of(Files.readString(log.resolve(Long.toString(largest.getAsLong())), StandardCharsets.UTF_8));
	}

	@Override
	public String description() {
		return "directory " + this.directory;
	}

	private static void requireSame(Path existing, Checkpoint checkpoint) throws IOException {
		String held = Files.readString(existing, StandardCharsets.UTF_8);
		String text;
		try {
			text = SignedNote.parse(held).text();
		}
		catch (IllegalArgumentException ex) {
			throw new CheckpointConflictException(existing + " is not a signed checkpoint; refusing to replace it");
		}
		if (!text.equals(checkpoint.text())) {
			throw new CheckpointConflictException("The witness holds a different checkpoint of " + checkpoint.origin()
					+ " at size " + checkpoint.treeSize() + " (" + existing + "); refusing to replace it");
		}
	}

	private static void readOnly(Path file) {
		try {
			Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
		}
		catch (IOException | UnsupportedOperationException ex) {
			// A file system without POSIX permissions: the witness still never rewrites.
		}
	}

	private static void syncDirectory(Path directory) {
		try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
			channel.force(true);
		}
		catch (IOException | UnsupportedOperationException ex) {
			// Not every platform can sync a directory; the file itself was synced.
		}
	}

	/**
	 * An origin as one portable file name: letters, digits, {@code . _ -} kept, every
	 * other byte as {@code %XX}.
	 * @param origin the origin
	 * @return the directory name
	 */
	static String encode(String origin) {
		StringBuilder name = new StringBuilder();
		for (byte b : origin.getBytes(StandardCharsets.UTF_8)) {
			char c = (char) (b & 0xFF);
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
					|| (c == '.' && name.length() > 0)) {
				name.append(c);
			}
			else {
				name.append('%').append(String.format("%02X", b & 0xFF));
			}
		}
		return name.toString();
	}

}

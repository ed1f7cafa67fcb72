package dev.switchboard.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntPredicate;
import java.util.function.IntSupplier;
import java.util.stream.Stream;

/**
 * A PostgreSQL of the local start's own where none answers: a cluster under
 * {@code .local/postgres} from the installed server binaries (Debian's
 * {@code /usr/lib/postgresql/<version>/bin}, installed with {@code apt-get} where
 * missing), listening on 127.0.0.1 only with trust authentication. It is started when the
 * launcher starts and stopped when it stops; its data stays, so the next start reuses it.
 * initdb refuses to run as root, so as root the cluster belongs to the {@code postgres}
 * system user (else {@code nobody}).
 */
final class LocalPostgres implements AutoCloseable {

	private static final Path INSTALLED = Path.of("/usr/lib/postgresql");

	private final Plan plan;

	private final Path directory;

	private final List<String> asOwner;

	private final Path bin;

	private LocalPostgres(Plan plan, Path directory, List<String> asOwner, Path bin) {
		this.plan = plan;
		this.directory = directory;
		this.asOwner = asOwner;
		this.bin = bin;
	}

	/**
	 * What to do for the configured database.
	 * @param database the configured database
	 * @param answers whether something accepts connections at its host and port
	 * @param isFree whether a port of this machine is free
	 * @param freePort any free port
	 * @return the plan
	 * @throws IllegalStateException if nothing answers at a host of another machine
	 */
	static Plan plan(Platform.Settings.Database database, boolean answers, IntPredicate isFree, IntSupplier freePort) {
		if (answers) {
			return new Plan(database, false);
		}
		if (!isLocal(database.host())) {
			throw new IllegalStateException("No PostgreSQL answers at " + database.host() + ":" + database.port()
					+ ": start it, or unset SWITCHBOARD_DB_HOST and PGHOST to let ./start-local run one of its own.");
		}
		int port = isFree.test(database.port()) ? database.port() : freePort.getAsInt();
		return new Plan(new Platform.Settings.Database("127.0.0.1", port, database.name(), database.username(),
				database.password()), true);
	}

	/**
	 * The database to use: the configured one where a PostgreSQL answers, else a private
	 * cluster started now.
	 * @param database the configured database
	 * @param directory where a private cluster lives ({@code .local/postgres})
	 * @return the running database; close it to stop a private cluster
	 * @throws IOException if the private cluster cannot be set up
	 * @throws InterruptedException if interrupted while waiting for a command
	 */
	static LocalPostgres start(Platform.Settings.Database database, Path directory)
			throws IOException, InterruptedException {
		Plan plan = plan(database, answers(database.host(), database.port()), Ports::isFree, Ports::free);
		if (!plan.privateCluster()) {
			return new LocalPostgres(plan, directory, List.of(), Path.of(""));
		}
		Path data = directory.resolve("data");
		Path bin = binaries(data).orElse(null);
		if (bin == null) {
			install();
			bin = binaries(data).orElseThrow(() -> new IOException("No PostgreSQL answers at " + database.host() + ":"
					+ database.port() + " and none is installed: install PostgreSQL ('apt-get install "
					+ "postgresql'), or point PGHOST and PGPORT at one."));
		}
		String owner = owner();
		LocalPostgres postgres = new LocalPostgres(plan, directory, asUser(owner), bin);
		postgres.initialize(owner);
		postgres.run();
		return postgres;
	}

	/** The database the services use. */
	Platform.Settings.Database database() {
		return this.plan.database();
	}

	/** Whether this is the launcher's own cluster. */
	boolean isPrivate() {
		return this.plan.privateCluster();
	}

	/** Where the cluster's data and log are. */
	Path directory() {
		return this.directory;
	}

	/**
	 * Stops a private cluster when the JVM exits: after the services, once they have
	 * started, so that they shut down with their database.
	 * @param servicesStopped counted down when the services have stopped
	 * @param servicesStarted whether the services started (else nothing is awaited)
	 */
	void stopAtExit(CountDownLatch servicesStopped, BooleanSupplier servicesStarted) {
		if (!this.plan.privateCluster()) {
			return;
		}
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			try {
				if (servicesStarted.getAsBoolean()) {
					servicesStopped.await(30, TimeUnit.SECONDS);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			close();
		}, "switchboard-postgres-stop"));
	}

	/** Stops the private cluster (fast shutdown); its data stays for the next start. */
	@Override
	public void close() {
		if (!this.plan.privateCluster()) {
			return;
		}
		try {
			command(pgCtl("stop", "-m", "fast", "-w"));
		}
		catch (IOException ex) {
			System.err.println("Switchboard: the private PostgreSQL did not stop: " + ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	static boolean isLocal(String host) {
		return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1");
	}

	static boolean answers(String host, int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host, port), 1000);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/** Whether PostgreSQL's server binaries are installed where Debian puts them. */
	static boolean isInstalled() throws IOException {
		return binaries(Path.of("nonexistent")).isPresent();
	}

	/**
	 * The installed server binaries: those of the cluster's version when it exists, else
	 * the newest.
	 */
	private static Optional<Path> binaries(Path data) throws IOException {
		Path version = data.resolve("PG_VERSION");
		if (Files.isRegularFile(version)) {
			Path bin = INSTALLED.resolve(Files.readString(version).trim()).resolve("bin");
			if (Files.isExecutable(bin.resolve("pg_ctl"))) {
				return Optional.of(bin);
			}
		}
		if (!Files.isDirectory(INSTALLED)) {
			return Optional.empty();
		}
		try (Stream<Path> versions = Files.list(INSTALLED)) {
			return versions.map((dir) -> dir.resolve("bin"))
				.filter((bin) -> Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("pg_ctl")))
				.max(Comparator.comparingDouble(LocalPostgres::version));
		}
	}

	private static double version(Path bin) {
		try {
			return Double.parseDouble(bin.getParent().getFileName().toString());
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	// As CI does; Debian's package may also start its own cluster on 5432, which then
	// answers and is used on the next start only if its authentication lets us in.
	private static void install() throws IOException, InterruptedException {
		if (!isRoot() || !Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
			return;
		}
		System.out.println("Switchboard: installing PostgreSQL (apt-get install postgresql)");
		for (List<String> command : List.of(List.of("apt-get", "update", "-qq"),
				List.of("apt-get", "install", "-y", "-qq", "postgresql"))) {
			ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
			builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
			int exit = builder.start().waitFor();
			if (exit != 0) {
				throw new IOException(String.join(" ", command) + " failed with " + exit);
			}
		}
	}

	private static boolean isRoot() {
		return "root".equals(System.getProperty("user.name"));
	}

	// initdb refuses to run as root.
	private static String owner() throws IOException {
		if (!isRoot()) {
			return System.getProperty("user.name");
		}
		try (Stream<String> users = Files.lines(Path.of("/etc/passwd"))) {
			return users.anyMatch((line) -> line.startsWith("postgres:")) ? "postgres" : "nobody";
		}
	}

	private static List<String> asUser(String owner) {
		return isRoot() ? List.of("runuser", "-u", owner, "--") : List.of();
	}

	private void initialize(String owner) throws IOException, InterruptedException {
		Path data = this.directory.resolve("data");
		if (Files.isRegularFile(data.resolve("PG_VERSION"))) {
			return;
		}
		System.out.println("Switchboard: no PostgreSQL answers at " + this.plan.database().host() + ":"
				+ this.plan.database().port() + "; creating a private one in " + this.directory);
		Files.createDirectories(data);
		if (isRoot()) {
			UserPrincipal user = this.directory.getFileSystem()
				.getUserPrincipalLookupService()
				.lookupPrincipalByName(owner);
			Files.setOwner(this.directory, user);
			Files.setOwner(data, user);
		}
		Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
		List<String> initdb = new ArrayList<>(this.asOwner);
		initdb.addAll(List.of(this.bin.resolve("initdb").toString(), "-D", data.toString(), "-U",
				this.plan.database().username(), "--auth=trust", "--no-locale", "-E", "UTF8"));
		command(initdb);
	}

	private void run() throws IOException, InterruptedException {
		// A cluster left running by a launcher that was killed: stopped first, so that it
		// starts on the port planned now.
		if (commandExit(pgCtl("status")) == 0) {
			command(pgCtl("stop", "-m", "fast", "-w"));
		}
		List<String> start = new ArrayList<>();
		// A session of its own, so that Ctrl-C in the terminal reaches the launcher only,
		// which stops the services before the database.
		if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
			start.add("/usr/bin/setsid");
		}
		start.addAll(pgCtl("start", "-w", "-t", "60", "-l", this.directory.resolve("postgres.log").toString(), "-o",
				"-p " + this.plan.database().port() + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=''"));
		command(start);
		System.out.println("Switchboard: private PostgreSQL on 127.0.0.1:" + this.plan.database().port() + " (data in "
				+ this.directory.resolve("data") + ", stopped with the launcher)");
	}

	private List<String> pgCtl(String... arguments) {
		List<String> command = new ArrayList<>(this.asOwner);
		command.addAll(List.of(this.bin.resolve("pg_ctl").toString(), "-D", this.directory.resolve("data").toString()));
		command.addAll(List.of(arguments));
		return command;
	}

	private void command(List<String> command) throws IOException, InterruptedException {
		int exit = commandExit(command);
		if (exit != 0) {
			throw new IOException(String.join(" ", command) + " failed with " + exit + "; see "
					+ this.directory.resolve("setup.log") + " and " + this.directory.resolve("postgres.log"));
		}
	}

	// Output to a file, not a pipe: the server that pg_ctl starts outlives it.
	private int commandExit(List<String> command) throws IOException, InterruptedException {
		Files.createDirectories(this.directory);
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.directory.resolve("setup.log").toFile()))
			.start();
		if (!process.waitFor(120, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new IOException(String.join(" ", command) + " did not finish within 2 minutes");
		}
		return process.exitValue();
	}

	/**
	 * Which database to use, and whether the launcher runs it.
	 *
	 * @param database the database the services use
	 * @param privateCluster whether it is the launcher's own cluster under
	 * {@code .local/postgres}
	 */
	record Plan(Platform.Settings.Database database, boolean privateCluster) {

	}

}

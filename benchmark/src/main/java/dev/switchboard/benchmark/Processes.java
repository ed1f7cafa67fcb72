package dev.switchboard.benchmark;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Child processes: the Java launcher, the classpath, free ports, resident memory. */
final class Processes {

	/** The lowest CPU priority, {@code nice}'s 19. */
	private static final int LOWEST = 19;

	private static final Path CHRT = Path.of("/usr/bin/chrt");

	private static final Set<Integer> handedOut = new HashSet<>();

	private Processes() {
	}

	static String java() {
		return ProcessHandle.current().info().command().orElse("java");
	}

	/**
	 * The command prefix that starts a service at its CPU priority: the webhook path
	 * first, then the assignment path, then the records. The gateway (and the broker) run
	 * at the normal priority, so that on a machine shared with the rest Meta's webhooks
	 * are acknowledged at once; the inbox and routing, which store a message and assign
	 * its conversation, and the PostgreSQL server only the services use, at nice 10
	 * (override with {@code -Dswitchboard.consumer-nice}, 0 for none); audit and billing,
	 * which keep the log and the charges and may fall behind for a while, at the lowest
	 * (19: at nice 15 they still took a third of what the inbox and routing needed while
	 * the machine was saturated). The consumers catch up on the backlog Kafka holds for
	 * them.
	 * @param service the service's name ({@code postgresql} for the database server)
	 * @return the prefix ({@code nice -n 10}), empty for the gateway or without
	 * {@code nice}
	 */
	static List<String> priority(String service) {
		int nice = niceness(service);
		if (nice == LOWEST && idle()) {
			return List.of(CHRT.toString(), "--idle", "0");
		}
		Path command = Path.of("/usr/bin/nice");
		if (nice == 0 || !Files.isExecutable(command)) {
			return List.of();
		}
		return List.of(command.toString(), "-n", Integer.toString(nice));
	}

	/**
	 * Whether audit and billing (and the PostgreSQL backends that serve them) run under
	 * the idle scheduling policy ({@code SCHED_IDLE}) instead of at nice 19
	 * ({@code -Dswitchboard.records-idle=true}): then any other process that wakes up
	 * takes the CPU from them at once, rather than after their time slice, and they get
	 * only what the others leave. Off by default: in two runs of the same code it gave
	 * the best and one of the worst ingest-to-assigned figures of the day, within the
	 * spread of the machine.
	 * @return whether they run idle
	 */
	static boolean idle() {
		return Boolean.getBoolean("switchboard.records-idle") && Files.isExecutable(CHRT);
	}

	/**
	 * The {@code nice} value a service runs at (see {@link #priority}).
	 * @param service the service's name ({@code postgresql} for the database server)
	 * @return 0 for the gateway, 19 for audit and billing, else the consumers' (10)
	 */
	static int niceness(String service) {
		int nice = Integer.getInteger("switchboard.consumer-nice", 10);
		if (nice == 0 || service.equals("gateway-service")) {
			return 0;
		}
		boolean records = service.equals("audit-service") || service.equals("billing-service");
		return records ? LOWEST : nice;
	}

	/**
	 * Sets the {@code nice} value of running processes ({@code renice}).
	 * @param nice the value
	 * @param pids the processes
	 * @return whether it was set
	 */
	static boolean renice(int nice, Collection<Long> pids) {
		if (nice == LOWEST && idle()) {
			boolean all = true;
			for (Long pid : pids) {
				all &= run(List.of(CHRT.toString(), "--idle", "-p", "0", pid.toString()));
			}
			return all;
		}
		Path command = Path.of("/usr/bin/renice");
		if (pids.isEmpty() || !Files.isExecutable(command)) {
			return false;
		}
		List<String> full = new ArrayList<>(List.of(command.toString(), "-n", Integer.toString(nice), "-p"));
		pids.forEach((pid) -> full.add(pid.toString()));
		return run(full);
	}

	/**
	 * Puts the thread that runs a consumer service's garbage collections (the serial
	 * collector's work is done by the JVM's {@code VM Thread}, with every other thread of
	 * the service stopped) at the normal priority, while the rest of the service stays at
	 * its {@link #niceness}. A collection stops all of the service's work until it ends;
	 * at nice 10 its thread waited for a core behind the gateway and the broker, and
	 * collections that took 10-80 ms of CPU took 50-260 ms (a full one 220 ms and 1.2 s)
	 * at 1,000 webhooks/s. Only the inbox and routing, on the path to an assignment;
	 * {@code -Dswitchboard.gc-priority=false} leaves them alone.
	 * @param service the service
	 * @param pid its process
	 * @return whether its collector thread now runs at nice 0
	 */
	static boolean prioritiseCollector(String service, long pid) {
		int nice = niceness(service);
		if (nice == 0 || nice == LOWEST
				|| !Boolean.parseBoolean(System.getProperty("switchboard.gc-priority", "true"))) {
			return false;
		}
		List<Long> collectors = threads(pid, "VM Thread");
		return !collectors.isEmpty() && renice(0, collectors);
	}

	/**
	 * The threads of a process with a name ({@code /proc/<pid>/task/<tid>/comm}, Linux).
	 * @param pid the process
	 * @param name the thread's name as Linux keeps it (15 characters)
	 * @return their thread ids, none when unknown
	 */
	static List<Long> threads(long pid, String name) {
		List<Long> threads = new ArrayList<>();
		for (Path task : tasks(pid)) {
			try {
				if (Files.readString(task.resolve("comm")).strip().equals(name)) {
					threads.add(Long.parseLong(task.getFileName().toString()));
				}
			}
			catch (IOException ex) {
				// the thread ended meanwhile
			}
		}
		return threads;
	}

	/**
	 * The thread directories of a process ({@code /proc/<pid>/task/<tid>}, Linux).
	 * @param pid the process
	 * @return one per thread, none when the process is gone or there is no {@code /proc}
	 */
	private static List<Path> tasks(long pid) {
		try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
			return tasks.toList();
		}
		catch (IOException ex) {
			return List.of();
		}
	}

	private static boolean run(List<String> full) {
		try {
			Process process = new ProcessBuilder(full).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	static String classpath() {
		return System.getProperty("java.class.path");
	}

	/**
	 * A port that is free now and was not handed out before in this run: the operating
	 * system may give a port that was just closed out again, and two services given one
	 * port fail to start.
	 * @return the port
	 */
	static synchronized int freePort() {
		while (true) {
			try (ServerSocket socket = new ServerSocket(0)) {
				if (handedOut.add(socket.getLocalPort())) {
					return socket.getLocalPort();
				}
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		}
	}

	/**
	 * CPU time (user and system) a process has used so far.
	 * @param pid the process
	 * @param withDescendants whether to add its live descendants' (PostgreSQL's backends)
	 * @return the CPU time, zero when unknown
	 */
	static Duration cpuTime(long pid, boolean withDescendants) {
		Optional<ProcessHandle> process = ProcessHandle.of(pid);
		if (process.isEmpty()) {
			return Duration.ZERO;
		}
		Stream<ProcessHandle> processes = withDescendants
				? Stream.concat(Stream.of(process.get()), process.get().descendants()) : Stream.of(process.get());
		return processes.map((handle) -> handle.info().totalCpuDuration().orElse(Duration.ZERO))
			.reduce(Duration.ZERO, Duration::plus);
	}

	/**
	 * CPU time (user and system) the threads of a process whose names start with a prefix
	 * have used so far, from {@code /proc/<pid>/task/<tid>/stat} (Linux; clock ticks of
	 * 10 ms).
	 * @param pid the process
	 * @param threadNamePrefix e.g. {@code "C2 CompilerThre"} (Linux keeps 15 characters)
	 * @return the CPU time, zero when unknown
	 */
	static Duration threadCpuTime(long pid, String threadNamePrefix) {
		long ticks = 0;
		for (Path task : tasks(pid)) {
			ticks += threadTicks(task.resolve("stat"), threadNamePrefix);
		}
		return Duration.ofMillis(ticks * 10);
	}

	static long threadTicks(Path stat, String threadNamePrefix) {
		try {
			String line = Files.readString(stat);
			String name = line.substring(line.indexOf('(') + 1, line.lastIndexOf(')'));
			if (!name.startsWith(threadNamePrefix)) {
				return 0;
			}
			// after "pid (comm) ": state is field 0, utime field 11, stime field 12
			String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
			return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
		}
		catch (IOException | RuntimeException ex) {
			return 0;
		}
	}

	/**
	 * Resident memory of a process, from {@code /proc/<pid>/status} (Linux).
	 * @param pid the process
	 * @return VmRSS in bytes, -1 when unknown
	 */
	static long residentBytes(long pid) {
		Path status = Path.of("/proc", Long.toString(pid), "status");
		try {
			for (String line : Files.readAllLines(status)) {
				if (line.startsWith("VmRSS:")) {
					String kb = line.substring("VmRSS:".length()).replace("kB", "").trim();
					return Long.parseLong(kb) * 1024;
				}
			}
		}
		catch (IOException | NumberFormatException ex) {
			return -1;
		}
		return -1;
	}

	/**
	 * Runs a command to its end.
	 * @param log where its output goes
	 * @param command the command
	 * @return the exit code
	 */
	static int run(Path log, List<String> command) {
		try {
			Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
				.start();
			if (!process.waitFor(5, TimeUnit.MINUTES)) {
				process.destroyForcibly();
				return -1;
			}
			return process.exitValue();
		}
		catch (IOException ex) {
			return -1;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return -1;
		}
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	static void stop(Process process, int seconds) {
		process.destroy();
		try {
			if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
				process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			process.destroyForcibly();
		}
	}

}

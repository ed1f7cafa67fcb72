package dev.switchboard.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntPredicate;

import org.jspecify.annotations.Nullable;

/**
 * The TCP ports the local start listens on, checked before anything starts: a port that
 * is taken would otherwise show as a service that never becomes ready minutes later.
 */
final class Ports {

	private Ports() {
	}

	/**
	 * Every port the local start needs.
	 * @param services the services, gateway first
	 * @param identityPort the OpenID Connect provider's port
	 * @param sandboxPort the WhatsApp sandbox's port
	 * @return the ports in the order they are checked
	 */
	static List<Port> of(List<Service> services, int identityPort, int sandboxPort) {
		List<Port> ports = new ArrayList<>();
		for (Service service : services) {
			boolean gateway = service.name().equals("gateway-service");
			ports.add(new Port(service.port(), service.name(), gateway ? "SWITCHBOARD_GATEWAY_PORT" : null));
			ports.add(new Port(service.managementPort(), service.name() + " (management)", null));
		}
		ports.add(new Port(identityPort, IdentityProvider.NAME, "SWITCHBOARD_IDENTITY_PORT"));
		ports.add(new Port(sandboxPort, "whatsapp-sandbox", "SWITCHBOARD_SANDBOX_PORT"));
		return ports;
	}

	/**
	 * The first port that is taken.
	 * @param ports the ports
	 * @param isFree whether a port is free ({@link #isFree(int)})
	 * @return the first taken port, if any
	 */
	static Optional<Port> firstBusy(List<Port> ports, IntPredicate isFree) {
		return ports.stream().filter((port) -> !isFree.test(port.number())).findFirst();
	}

	/**
	 * Stops with a message naming the first taken port, if any.
	 * @param ports the ports
	 * @throws IllegalStateException if a port is taken
	 */
	static void check(List<Port> ports) {
		firstBusy(ports, Ports::isFree).ifPresent((port) -> {
			throw new IllegalStateException(port.busyMessage());
		});
	}

	/**
	 * Whether this process could listen on a port of the loopback address, where the
	 * services listen (a listener on every address takes it too).
	 * @param port the port
	 * @return true if it is free
	 */
	static boolean isFree(int port) {
		try (ServerSocket socket = new ServerSocket()) {
			socket.setReuseAddress(true);
			socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * A port that is free now.
	 * @return the port
	 */
	static int free() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A port the local start listens on.
	 *
	 * @param number the port
	 * @param owner what listens there
	 * @param variable the environment variable that moves it, or null when it is fixed
	 */
	record Port(int number, String owner, @Nullable String variable) {

		String busyMessage() {
			String remedy = (this.variable != null)
					? "stop what listens there, or set " + this.variable + " to another port"
					: "stop what listens there (this port is fixed; 'ss -ltnp sport = :" + this.number
							+ "' shows the process)";
			return "Port " + this.number + " (" + this.owner + ") is in use: " + remedy + ".";
		}

	}

}

package dev.switchboard.local;

/**
 * A Switchboard service the platform runs, with its module directory and ports.
 *
 * @param name the module and application name
 * @param port the HTTP port
 * @param managementPort the actuator's port (health, metrics), which the gateway does not
 * route
 */
public record Service(String name, int port, int managementPort) {

	/**
	 * A service whose actuator is on its HTTP port plus 1000, as in every service's
	 * {@code application.yml} (8081 and 9081).
	 * @param name the module and application name
	 * @param port the HTTP port
	 */
	public Service(String name, int port) {
		this(name, port, port + 1000);
	}

	public String url() {
		return "http://127.0.0.1:" + this.port;
	}

	/**
	 * Where the actuator answers ({@code /actuator/health},
	 * {@code /actuator/prometheus}).
	 * @return the management server's URL, on the loopback address the local start binds
	 * it to
	 */
	public String managementUrl() {
		return "http://127.0.0.1:" + this.managementPort;
	}

}

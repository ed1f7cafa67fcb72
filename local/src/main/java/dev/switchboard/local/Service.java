package dev.switchboard.local;

/**
 * A Switchboard service the platform runs, with its module directory and port.
 *
 * @param name the module and application name
 * @param port the HTTP port
 */
public record Service(String name, int port) {

	public String url() {
		return "http://localhost:" + this.port;
	}

}

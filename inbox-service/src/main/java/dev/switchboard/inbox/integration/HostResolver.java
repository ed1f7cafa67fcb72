package dev.switchboard.inbox.integration;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Resolves the host names of webhook URLs. The system resolver in production; tests plug
 * in names of their own (there is no DNS to rebind in a test).
 */
@FunctionalInterface
public interface HostResolver {

	/** The JVM's resolver ({@link InetAddress#getAllByName}). */
	HostResolver SYSTEM = (host) -> List.of(InetAddress.getAllByName(host));

	/**
	 * Every address a name resolves to. May block.
	 * @param host a host name (never an IP literal)
	 * @return its addresses, at least one
	 * @throws UnknownHostException when it resolves to none
	 */
	List<InetAddress> resolve(String host) throws UnknownHostException;

}

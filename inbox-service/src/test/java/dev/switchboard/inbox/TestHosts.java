package dev.switchboard.inbox;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

import dev.switchboard.inbox.integration.HostResolver;

/**
 * Host names for the CRM webhooks' destination checks, as a DNS would answer them: the
 * tests have no DNS to point (or re-point) a name with. Names not set here resolve as the
 * system does.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestHosts {

	private static final Map<String, List<InetAddress>> NAMES = new ConcurrentHashMap<>();

	/**
	 * Points a name at addresses, from now on.
	 * @param name the host name
	 * @param addresses IP literals
	 */
	static void point(String name, String... addresses) {
		List<InetAddress> resolved = new ArrayList<>();
		for (String address : addresses) {
			try {
				resolved.add(InetAddress.getByName(address));
			}
			catch (UnknownHostException ex) {
				throw new IllegalArgumentException(address, ex);
			}
		}
		NAMES.put(name.toLowerCase(Locale.ROOT), List.copyOf(resolved));
	}

	@Bean
	@Primary
	HostResolver testHostResolver() {
		return (host) -> {
			List<InetAddress> addresses = NAMES.get(host.toLowerCase(Locale.ROOT));
			return (addresses != null) ? addresses : HostResolver.SYSTEM.resolve(host);
		};
	}

}

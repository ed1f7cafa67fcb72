package dev.switchboard.gateway.ratelimit;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.util.matcher.InetAddressMatcher;
import org.springframework.security.util.matcher.InetAddressMatchers;

/**
 * The address of the client behind a request: the TCP peer, or, when the peer is one of
 * the trusted proxies, the last address in {@code X-Forwarded-For} that is not a trusted
 * proxy (each proxy appends the address it received from, so entries to the left of that
 * one may be the client's own inventions).
 */
final class ClientAddresses {

	static final String FORWARDED_FOR = "X-Forwarded-For";

	private final List<InetAddressMatcher> trustedProxies;

	/**
	 * @param trustedProxies addresses or CIDR ranges ({@code 10.0.0.0/8},
	 * {@code 192.0.2.7}, {@code ::1})
	 */
	ClientAddresses(List<String> trustedProxies) {
		this.trustedProxies = trustedProxies.stream().map(InetAddressMatchers::fromIpAddress).toList();
	}

	String of(ServerHttpRequest request) {
		InetSocketAddress remote = request.getRemoteAddress();
		String peer = (remote != null && remote.getAddress() != null) ? remote.getAddress().getHostAddress()
				: "unknown";
		if (this.trustedProxies.isEmpty() || !isTrusted(peer)) {
			return peer;
		}
		List<String> hops = new ArrayList<>();
		for (String header : request.getHeaders().getOrEmpty(FORWARDED_FOR)) {
			for (String hop : header.split(",")) {
				if (!hop.isBlank()) {
					hops.add(hop.trim());
				}
			}
		}
		String client = peer;
		for (int i = hops.size() - 1; i >= 0; i--) {
			client = hops.get(i);
			if (!isTrusted(client)) {
				return client;
			}
		}
		return client;
	}

	private boolean isTrusted(String address) {
		for (InetAddressMatcher proxy : this.trustedProxies) {
			try {
				if (proxy.matches(address)) {
					return true;
				}
			}
			catch (IllegalArgumentException ex) {
				// Not an IP address (the matcher never resolves names): not a proxy.
				return false;
			}
		}
		return false;
	}

}

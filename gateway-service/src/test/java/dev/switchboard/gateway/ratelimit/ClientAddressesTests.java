package dev.switchboard.gateway.ratelimit;

import java.net.InetSocketAddress;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

import static org.assertj.core.api.Assertions.assertThat;

class ClientAddressesTests {

	@Test
	void whenNoProxyIsTrustedThenForwardedForIsIgnored() {
		ClientAddresses addresses = new ClientAddresses(List.of());
		assertThat(addresses.of(request("127.0.0.1", "203.0.113.9"))).isEqualTo("127.0.0.1");
	}

	@Test
	void whenThePeerIsATrustedProxyThenTheLastUntrustedForwardedAddressIsTheClient() {
		ClientAddresses addresses = new ClientAddresses(List.of("10.0.0.0/8", "192.0.2.7"));
		// The client invented 198.51.100.1; the first proxy saw 203.0.113.9.
		assertThat(addresses.of(request("10.1.2.3", "198.51.100.1, 203.0.113.9, 192.0.2.7"))).isEqualTo("203.0.113.9");
		assertThat(addresses.of(request("10.1.2.3", null))).isEqualTo("10.1.2.3");
		assertThat(addresses.of(request("10.1.2.3", "not-an-address"))).isEqualTo("not-an-address");
	}

	@Test
	void whenThePeerIsNotTrustedThenItIsTheClientWhateverItForwards() {
		ClientAddresses addresses = new ClientAddresses(List.of("10.0.0.0/8"));
		assertThat(addresses.of(request("203.0.113.9", "10.0.0.1"))).isEqualTo("203.0.113.9");
	}

	private static MockServerHttpRequest request(String peer, String forwardedFor) {
		MockServerHttpRequest.BaseBuilder<?> builder = MockServerHttpRequest.post("/webhooks/whatsapp")
			.remoteAddress(new InetSocketAddress(peer, 40000));
		if (forwardedFor != null) {
			builder.header(ClientAddresses.FORWARDED_FOR, forwardedFor);
		}
		return builder.build();
	}

}

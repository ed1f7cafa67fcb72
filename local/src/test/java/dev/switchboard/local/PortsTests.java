package dev.switchboard.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class PortsTests {

	private final List<Ports.Port> ports = Ports.of(Platform.Settings.defaultServices(8080), 9000, 8090);

	@Test
	void whenDefaultsThenEveryPortTheLocalStartListensOn() {
		assertThat(this.ports).extracting(Ports.Port::number)
			.containsExactly(8080, 9080, 8081, 9081, 8082, 9082, 8083, 9083, 8084, 9084, 8085, 9085, 9000, 8090);
	}

	@Test
	void whenAllAreFreeThenNoneIsBusy() {
		assertThat(Ports.firstBusy(this.ports, (port) -> true)).isEmpty();
	}

	@Test
	void whenTheGatewayPortIsTakenThenTheMessageNamesItsVariable() {
		Ports.Port busy = Ports.firstBusy(this.ports, (port) -> port != 8080).orElseThrow();
		assertThat(busy.busyMessage()).isEqualTo(
				"Port 8080 (gateway-service) is in use: stop what listens there, or set SWITCHBOARD_GATEWAY_PORT to another port.");
	}

	@Test
	void whenSeveralAreTakenThenTheFirstIsNamed() {
		Set<Integer> taken = Set.of(8090, 9000);
		assertThat(Ports.firstBusy(this.ports, (port) -> !taken.contains(port)).orElseThrow().variable())
			.isEqualTo("SWITCHBOARD_IDENTITY_PORT");
	}

	@Test
	void whenAFixedPortIsTakenThenTheMessageSaysSo() {
		Ports.Port busy = Ports.firstBusy(this.ports, (port) -> port != 9082).orElseThrow();
		assertThat(busy.busyMessage()).startsWith("Port 9082 (routing-service (management)) is in use")
			.contains("this port is fixed");
	}

	@Test
	void whenAPortIsListenedOnThenCheckStops() throws IOException {
		try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			int port = listener.getLocalPort();
			assertThat(Ports.isFree(port)).isFalse();
			assertThatIllegalStateException().isThrownBy(
					() -> Ports.check(List.of(new Ports.Port(port, "whatsapp-sandbox", "SWITCHBOARD_SANDBOX_PORT"))))
				.withMessageContaining("Port " + port + " (whatsapp-sandbox) is in use")
				.withMessageContaining("SWITCHBOARD_SANDBOX_PORT");
		}
	}

	@Test
	void whenAPortIsFreeThenCheckPasses() {
		int port = Ports.free();
		assertThat(Ports.isFree(port)).isTrue();
		Ports.check(List.of(new Ports.Port(port, "gateway-service", "SWITCHBOARD_GATEWAY_PORT")));
	}

}

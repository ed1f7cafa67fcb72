package dev.switchboard.inbox.integration;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.resolver.AddressResolver;
import io.netty.util.concurrent.ImmediateEventExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class DestinationPolicyTests {

	/** Names as a DNS would answer them; there is no DNS in a unit test. */
	private static final Map<String, List<String>> NAMES = Map.of("crm.example.com", List.of("93.184.215.14"),
			"v6.example.com", List.of("2606:4700:4700::1111", "93.184.215.14"), "127.0.0.1.nip.io",
			List.of("127.0.0.1"), "localhost", List.of("127.0.0.1", "::1"), "dual.example.com",
			List.of("93.184.215.14", "10.0.0.5"), "mapped.example.com", List.of("::ffff:a9fe:a9fe"),
			"private.example.com", List.of("192.168.1.20"), "cgnat.example.com", List.of("100.64.1.1"));

	private final AtomicInteger lookups = new AtomicInteger();

	private final HostResolver resolver = (host) -> {
		this.lookups.incrementAndGet();
		List<String> addresses = NAMES.get(host);
		if (addresses == null) {
			throw new UnknownHostException(host);
		}
		return addresses.stream().map(DestinationPolicyTests::address).toList();
	};

	private final DestinationPolicy production = new DestinationPolicy(this.resolver, false);

	private final DestinationPolicy local = new DestinationPolicy(this.resolver, true);

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			https://crm.example.com/hook                  | allowed
			https://crm.example.com:8443/hook?tenant=acme | allowed
			https://CRM.Example.com:9000/hook             | allowed
			https://93.184.215.14/hook                    | allowed
			https://[2606:4700:4700::1111]/hook           | allowed
			https://v6.example.com/hook                   | allowed
			http://127.0.0.1/hook                         | url-scheme
			http://127.0.0.1:8080/hook                    | url-scheme
			http://localhost:8080/hook                    | url-scheme
			http://crm.example.com/hook                   | url-scheme
			ftp://crm.example.com/hook                    | url-scheme
			https://127.0.0.1/hook                        | url-address-not-public
			https://127.8.9.10/hook                       | url-address-not-public
			https://10.0.0.1/hook                         | url-address-not-public
			https://172.16.0.1/hook                       | url-address-not-public
			https://172.31.255.255/hook                   | url-address-not-public
			https://192.168.1.1/hook                      | url-address-not-public
			https://169.254.169.254/latest/meta-data      | url-address-not-public
			https://169.254.1.1/hook                      | url-address-not-public
			https://100.64.0.1/hook                       | url-address-not-public
			https://100.100.100.200/hook                  | url-address-not-public
			https://192.0.0.192/hook                      | url-address-not-public
			https://224.0.0.1/hook                        | url-address-not-public
			https://255.255.255.255/hook                  | url-address-not-public
			https://0.0.0.0/hook                          | url-address-not-public
			https://[::]/hook                             | url-address-not-public
			https://[::1]/hook                            | url-address-not-public
			https://[::ffff:127.0.0.1]/hook               | url-address-not-public
			https://[::ffff:7f00:1]/hook                  | url-address-not-public
			https://[::ffff:169.254.169.254]/hook         | url-address-not-public
			https://[::ffff:10.1.2.3]/hook                | url-address-not-public
			https://[::127.0.0.1]/hook                    | url-address-not-public
			https://[64:ff9b::7f00:1]/hook                | url-address-not-public
			https://[2002:7f00:1::1]/hook                 | url-address-not-public
			https://[fd00:ec2::254]/hook                  | url-address-not-public
			https://[fc00::1]/hook                        | url-address-not-public
			https://[fe80::1]/hook                        | url-address-not-public
			https://[ff02::1]/hook                        | url-address-not-public
			https://[2001:db8::1]/hook                    | url-address-not-public
			https://localhost/hook                        | url-host-not-public
			https://localhost./hook                       | url-host-not-public
			https://api.localhost/hook                    | url-host-not-public
			https://127.0.0.1.nip.io/hook                 | url-host-not-public
			https://dual.example.com/hook                 | url-host-not-public
			https://mapped.example.com/hook               | url-host-not-public
			https://private.example.com/hook              | url-host-not-public
			https://cgnat.example.com/hook                | url-host-not-public
			https://metadata.google.internal/computeMetadata/v1/ | url-host-not-public
			https://metadata.goog/hook                    | url-host-not-public
			https://kafka/hook                            | url-host-not-public
			https://postgres.svc.cluster.internal/hook    | url-host-not-public
			https://unknown.example.com/hook              | url-host-not-public
			https://2130706433/                           | url-invalid
			https://017700000001/                         | url-invalid
			https://0177.0.0.1/                           | url-invalid
			https://0x7f.1/                               | url-invalid
			https://127.1/                                | url-invalid
			https://127.0.0.1./                           | url-invalid
			https://crm.example.com:0/hook                | url-invalid
			https://crm.example.com/hook#part             | url-invalid
			https://user:secret@crm.example.com/hook      | url-credentials
			https://user@crm.example.com/hook             | url-credentials
			https://@127.0.0.1/hook                       | url-credentials
			""")
	void whenAUrlIsCheckedInProductionThenOnlyHttpsToPublicAddressesIsAllowed(String url, String expected) {
		assertThat(outcome(this.production, url)).as(url).isEqualTo(expected);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			http://127.0.0.1:8080/hook     | allowed
			http://[::1]:8080/hook         | allowed
			http://localhost:8080/hook     | allowed
			http://127.0.0.1.nip.io/hook   | allowed
			https://crm.example.com/hook   | allowed
			http://10.0.0.1/hook           | url-scheme
			http://crm.example.com/hook    | url-scheme
			http://dual.example.com/hook   | url-scheme
			http://169.254.169.254/hook    | url-scheme
			https://127.0.0.1/hook         | url-address-not-public
			https://localhost/hook         | url-host-not-public
			""")
	void whenPlainHttpToLoopbackIsAllowedThenOnlyLoopbackMayBePlainHttp(String url, String expected) {
		assertThat(outcome(this.local, url)).as(url).isEqualTo(expected);
	}

	@Test
	void whenARefusalIsExplainedThenALiteralIsNamedButWhatANameResolvesToIsNot() {
		assertThat(catchThrowableOfType(SubscriptionRejected.class, () -> this.production.check("https://10.0.0.1/"))
			.getBody()
			.getDetail()).contains("10.0.0.1 is a private address");
		String detail = catchThrowableOfType(SubscriptionRejected.class,
				() -> this.production.check("https://private.example.com/"))
			.getBody()
			.getDetail();
		assertThat(detail).contains("public").doesNotContain("192.168").doesNotContain("private.example.com");
	}

	@Test
	void whenAddressesAreClassifiedThenEachKindIsNamed() {
		assertThat(AddressKind.of(address("8.8.8.8"))).isNull();
		assertThat(AddressKind.of(address("172.32.0.1"))).isNull();
		assertThat(AddressKind.of(address("100.128.0.1"))).isNull();
		assertThat(AddressKind.of(address("2001:4860:4860::8888"))).isNull();
		assertThat(AddressKind.of(address("2002:5db8:d70e::1"))).isNull();
		assertThat(AddressKind.of(address("127.0.0.1"))).isEqualTo(AddressKind.LOOPBACK);
		assertThat(AddressKind.of(address("::1"))).isEqualTo(AddressKind.LOOPBACK);
		assertThat(AddressKind.of(address("172.20.1.1"))).isEqualTo(AddressKind.PRIVATE);
		assertThat(AddressKind.of(address("fd12:3456::1"))).isEqualTo(AddressKind.PRIVATE);
		assertThat(AddressKind.of(address("169.254.10.10"))).isEqualTo(AddressKind.LINK_LOCAL);
		assertThat(AddressKind.of(address("fe80::1"))).isEqualTo(AddressKind.LINK_LOCAL);
		assertThat(AddressKind.of(address("239.1.1.1"))).isEqualTo(AddressKind.MULTICAST);
		assertThat(AddressKind.of(address("ff05::2"))).isEqualTo(AddressKind.MULTICAST);
		assertThat(AddressKind.of(address("0.0.0.0"))).isEqualTo(AddressKind.UNSPECIFIED);
		assertThat(AddressKind.of(address("::"))).isEqualTo(AddressKind.UNSPECIFIED);
		assertThat(AddressKind.of(address("100.127.255.255"))).isEqualTo(AddressKind.SHARED);
		assertThat(AddressKind.of(address("169.254.169.254"))).isEqualTo(AddressKind.METADATA);
		assertThat(AddressKind.of(address("fd00:ec2::254"))).isEqualTo(AddressKind.METADATA);
		assertThat(AddressKind.of(address("::ffff:169.254.169.254"))).isEqualTo(AddressKind.METADATA);
		assertThat(AddressKind.of(address("198.18.0.1"))).isEqualTo(AddressKind.RESERVED);
		assertThat(AddressKind.of(address("240.0.0.1"))).isEqualTo(AddressKind.RESERVED);
		assertThat(AddressKind.of(address("2001::1"))).isEqualTo(AddressKind.RESERVED);
		assertThat(AddressKind.of(address("100::1"))).isEqualTo(AddressKind.RESERVED);
	}

	@Test
	void whenAnIpv4MappedAddressIsBuiltAsIpv6ThenItIsJudgedByItsIpv4Address() throws UnknownHostException {
		byte[] mapped = new byte[16];
		mapped[10] = (byte) 0xff;
		mapped[11] = (byte) 0xff;
		mapped[12] = 127;
		mapped[15] = 1;
		InetAddress address = java.net.Inet6Address.getByAddress(null, mapped, -1);
		assertThat(AddressKind.of(address)).isEqualTo(AddressKind.LOOPBACK);
	}

	@Test
	void whenANameIsPinnedThenEveryAddressIsCheckedAndACheckedOneIsReturnedWithTheName() throws Exception {
		InetAddress pinned = this.production.pin("v6.example.com", false);
		assertThat(pinned.getHostAddress()).isEqualTo("2606:4700:4700:0:0:0:0:1111");
		assertThat(pinned.getHostName()).isEqualTo("v6.example.com");
		assertThat(catchThrowableOfType(DestinationPolicy.DestinationRefused.class,
				() -> this.production.pin("dual.example.com", false))
			.reason()).isEqualTo("private");
		assertThat(catchThrowableOfType(DestinationPolicy.DestinationRefused.class,
				() -> this.production.pin("127.0.0.1.nip.io", false))
			.reason()).isEqualTo("loopback");
		assertThat(catchThrowableOfType(DestinationPolicy.DestinationRefused.class,
				() -> this.production.pin("metadata.google.internal", false))
			.reason()).isEqualTo("metadata");
		assertThat(catchThrowableOfType(DestinationPolicy.DestinationRefused.class,
				() -> this.production.pin("unknown.example.com", false))
			.reason()).isEqualTo("unresolvable");
		assertThat(this.local.pin("localhost", true).isLoopbackAddress()).isTrue();
		assertThat(catchThrowableOfType(DestinationPolicy.DestinationRefused.class,
				() -> this.local.pin("crm.example.com", true))
			.reason()).isEqualTo("plain-http");
	}

	@Test
	void whenADeliveryIsAboutToBeMadeThenTheUrlAndAnIpLiteralAreCheckedWithoutResolving() throws Exception {
		assertThat(this.production.beforeDelivery("https://crm.example.com/hook")).hasHost("crm.example.com");
		assertThat(this.production.beforeDelivery("https://unknown.example.com/hook")).isNotNull();
		assertThat(this.lookups).hasValue(0);
		assertThat(catchThrowableOfType(DestinationPolicy.DestinationRefused.class,
				() -> this.production.beforeDelivery("https://[::ffff:127.0.0.1]/hook"))
			.reason()).isEqualTo("loopback");
		assertThat(catchThrowableOfType(DestinationPolicy.DestinationRefused.class,
				() -> this.production.beforeDelivery("http://127.0.0.1:8080/hook"))
			.reason()).isEqualTo("plain-http");
		assertThat(this.local.beforeDelivery("http://127.0.0.1:8080/hook")).hasPort(8080);
	}

	@Test
	void whenTheHttpClientResolvesANameThenItGetsOnlyTheCheckedAddress() throws Exception {
		try (PinnedAddressResolverGroup group = new PinnedAddressResolverGroup(this.production, false)) {
			AddressResolver<InetSocketAddress> resolver = group.getResolver(ImmediateEventExecutor.INSTANCE);
			InetSocketAddress resolved = resolver.resolve(InetSocketAddress.createUnresolved("crm.example.com", 443))
				.get(10, TimeUnit.SECONDS);
			assertThat(resolved.getAddress().getHostAddress()).isEqualTo("93.184.215.14");
			assertThat(resolved.getPort()).isEqualTo(443);
			assertThatExceptionOfType(ExecutionException.class)
				.isThrownBy(() -> resolver.resolve(InetSocketAddress.createUnresolved("127.0.0.1.nip.io", 443))
					.get(10, TimeUnit.SECONDS))
				.withCauseInstanceOf(DestinationPolicy.DestinationRefused.class);
			assertThatExceptionOfType(ExecutionException.class)
				.isThrownBy(() -> resolver.resolveAll(InetSocketAddress.createUnresolved("dual.example.com", 443))
					.get(10, TimeUnit.SECONDS))
				.withCauseInstanceOf(DestinationPolicy.DestinationRefused.class);
		}
	}

	private static String outcome(DestinationPolicy policy, String url) {
		try {
			policy.check(url);
			return "allowed";
		}
		catch (SubscriptionRejected ex) {
			return ex.reason();
		}
	}

	private static InetAddress address(String literal) {
		InetAddress address = DestinationPolicy.literal(literal);
		assertThat(address).as(literal).isNotNull();
		return address;
	}

}

package dev.switchboard.audit.device;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DeviceLimitRuleTests {

	private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

	@Test
	void whenDowngradedThenTheNewestExtraDevicesAndExtraPhonesAreSuspended() {
		List<Device> linked = devices(DeviceKind.PHONE, DeviceKind.DESKTOP, DeviceKind.PHONE, DeviceKind.TABLET,
				DeviceKind.WEB, DeviceKind.DESKTOP);
		Map<String, DeviceState> changed = names(DeviceRegistry.changes(PlanLimits.STANDARD, linked, T0));
		assertThat(changed).containsExactly(Map.entry("d2", DeviceState.SUSPENDED),
				Map.entry("d5", DeviceState.SUSPENDED));
	}

	@Test
	void whenWithinTheLimitsThenNothingChanges() {
		List<Device> linked = devices(DeviceKind.PHONE, DeviceKind.WEB, DeviceKind.WEB, DeviceKind.TABLET);
		assertThat(DeviceRegistry.changes(PlanLimits.STANDARD, linked, T0)).isEmpty();
	}

	@Test
	void whenSuspendedDevicesFitAgainThenTheOldestAreReinstatedWithANewVersion() {
		List<Device> linked = new ArrayList<>(devices(DeviceKind.WEB, DeviceKind.PHONE, DeviceKind.PHONE));
		linked.set(1, linked.get(1).withState(DeviceState.SUSPENDED, T0));
		linked.set(2, linked.get(2).withState(DeviceState.SUSPENDED, T0));
		List<Device> changed = DeviceRegistry.changes(PlanLimits.STANDARD, linked, T0.plusSeconds(5));
		assertThat(changed).singleElement().satisfies((device) -> {
			assertThat(device.name()).isEqualTo("d1");
			assertThat(device.state()).isEqualTo(DeviceState.ACTIVE);
			assertThat(device.version()).isEqualTo(3);
			assertThat(device.changed().state()).isEqualTo("ACTIVE");
		});
		assertThat(DeviceRegistry.changes(PlanLimits.PREMIUM, linked, T0)).hasSize(2);
	}

	@Test
	void whenARevokedDeviceIsChangedThenRefused() {
		Device revoked = devices(DeviceKind.WEB).get(0).revoked(T0);
		assertThat(revoked.changed().state()).isEqualTo("REVOKED");
		org.assertj.core.api.Assertions.assertThatExceptionOfType(Device.DeviceRevokedException.class)
			.isThrownBy(() -> revoked.renamed("x", T0));
	}

	private static List<Device> devices(DeviceKind... kinds) {
		List<Device> devices = new ArrayList<>();
		for (int i = 0; i < kinds.length; i++) {
			devices.add(Device.register("t", "agent", "d" + i, kinds[i], T0.plusSeconds(i)));
		}
		return devices;
	}

	private static Map<String, DeviceState> names(List<Device> devices) {
		return devices.stream()
			.collect(Collectors.toMap(Device::name, Device::state, (a, b) -> a, java.util.LinkedHashMap::new));
	}

}

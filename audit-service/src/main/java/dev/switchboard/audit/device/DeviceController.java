package dev.switchboard.audit.device;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

import dev.switchboard.audit.web.Page;
import dev.switchboard.audit.web.Refusals;
import dev.switchboard.events.Role;
import dev.switchboard.support.web.Caller;
import dev.switchboard.support.web.TimeCursor;

/**
 * The tenant's devices: registered, renamed and revoked by owners and admins, listed for
 * every member.
 */
@RestController
@RequestMapping("/api/v1/devices")
class DeviceController {

	private static final int MAX_NAME = 64;

	private static final int MAX_AGENT = 200;

	private final DeviceRegistry registry;

	private final DeviceRepository devices;

	private final Refusals refusals;

	DeviceController(DeviceRegistry registry, DeviceRepository devices, Refusals refusals) {
		this.registry = registry;
		this.devices = devices;
		this.refusals = refusals;
	}

	@Operation(operationId = "registerDevice", summary = "Register a device of the caller's tenant")
	@PostMapping
	@ResponseStatus(HttpStatus.CREATED)
	Mono<DeviceView> register(Caller caller, @RequestBody Registration registration) {
		caller.requireAny(Role.OWNER, Role.ADMIN);
		String name = name(registration.name());
		DeviceKind kind = kind(registration.kind());
		String agentId = agent(registration.agentId());
		return this.registry.register(caller.tenantId(), agentId, name, kind)
			.onErrorMap(RuntimeException.class, this::problem)
			.map(DeviceView::of);
	}

	@Operation(operationId = "listDevices", summary = "List the tenant's devices")
	@GetMapping
	Mono<Page<DeviceView>> list(Caller caller, @RequestParam(defaultValue = "20") int limit,
			@RequestParam(required = false) @Nullable String cursor,
			@RequestParam(required = false) @Nullable String state,
			@RequestParam(required = false) @Nullable String agentId) {
		caller.requireAny(Role.OWNER, Role.ADMIN, Role.AGENT);
		int checkedLimit = this.refusals.limit(limit);
		TimeCursor after;
		try {
			after = TimeCursor.decode(cursor);
		}
		catch (ResponseStatusException ex) {
			throw this.refusals.badCursor();
		}
		DeviceState wanted = (state != null) ? state(state) : null;
		return this.devices.page(caller.tenantId(), wanted, agentId, checkedLimit, after)
			.map((rows) -> Page.of(rows.stream().map(DeviceView::of).toList(), checkedLimit,
					(last) -> new TimeCursor(last.registeredAt(), UUID.fromString(last.id())).encode()));
	}

	/**
	 * The plan's limits as the registry applies them, and how much of them is used: what
	 * the console shows beside the devices.
	 */
	@Operation(operationId = "getDeviceLimits", summary = "Get the plan's device limits and their use")
	@GetMapping("/limits")
	Mono<LimitsView> limits(Caller caller) {
		caller.requireAny(Role.OWNER, Role.ADMIN);
		return this.registry.usage(caller.tenantId()).map(LimitsView::of);
	}

	@Operation(operationId = "getDevice", summary = "Get a device")
	@GetMapping("/{id}")
	Mono<DeviceView> get(Caller caller, @PathVariable String id) {
		caller.requireAny(Role.OWNER, Role.ADMIN, Role.AGENT);
		return this.registry.find(caller.tenantId(), id(id))
			.onErrorMap(RuntimeException.class, this::problem)
			.map(DeviceView::of);
	}

	@Operation(operationId = "renameDevice", summary = "Rename a device")
	@PatchMapping("/{id}")
	Mono<DeviceView> rename(Caller caller, @PathVariable String id, @RequestBody Rename rename) {
		caller.requireAny(Role.OWNER, Role.ADMIN);
		UUID deviceId = id(id);
		String name = name(rename.name());
		return this.registry.rename(caller.tenantId(), deviceId, name)
			.onErrorMap(RuntimeException.class, this::problem)
			.map(DeviceView::of);
	}

	@Operation(operationId = "revokeDevice", summary = "Revoke a device")
	@PostMapping("/{id}/revoke")
	Mono<DeviceView> revoke(Caller caller, @PathVariable String id) {
		caller.requireAny(Role.OWNER, Role.ADMIN);
		return this.registry.revoke(caller.tenantId(), id(id))
			.onErrorMap(RuntimeException.class, this::problem)
			.map(DeviceView::of);
	}

	private RuntimeException problem(RuntimeException ex) {
		return switch (ex) {
			case DeviceRegistry.UnknownDeviceException unknown ->
				this.refusals.refuse(HttpStatus.NOT_FOUND, "unknown-device", "No such device", unknown.getMessage());
			case DeviceRegistry.NameTakenException taken ->
				this.refusals.refuse(HttpStatus.CONFLICT, "device-name-taken", "Device name taken", taken.getMessage());
			case Device.DeviceRevokedException revoked ->
				this.refusals.refuse(HttpStatus.CONFLICT, "device-revoked", "Device revoked", revoked.getMessage());
			case DeviceRegistry.LimitException limit ->
				this.refusals.refuse(HttpStatus.CONFLICT, "device-limit-reached",
						"devices".equals(limit.limit())
								? "Device limit of the plan reached" : "Phone limit of the plan reached",
						limit.getMessage(),
						Map.of("limit", limit.limit(), "plan", limit.limits().plan(), "maxDevices",
								limit.limits().maxDevices(), "maxPhones", limit.limits().maxPhones(), "upgrade",
								limit.limits().upgradeHint()));
			default -> ex;
		};
	}

	private UUID id(String id) {
		try {
			return UUID.fromString(id);
		}
		catch (IllegalArgumentException ex) {
			throw this.refusals.refuse(HttpStatus.NOT_FOUND, "unknown-device", "No such device",
					"No device " + id + " in this tenant");
		}
	}

	private String name(@Nullable String name) {
		String stripped = (name != null) ? name.strip() : "";
		if (stripped.isEmpty() || stripped.length() > MAX_NAME || stripped.chars().anyMatch(Character::isISOControl)) {
			throw invalid("name must be 1 to " + MAX_NAME + " characters without control characters");
		}
		return stripped;
	}

	private String agent(@Nullable String agentId) {
		String stripped = (agentId != null) ? agentId.strip() : "";
		if (stripped.isEmpty() || stripped.length() > MAX_AGENT) {
			throw invalid("agentId (the subject of the agent using the device) is required");
		}
		return stripped;
	}

	private DeviceKind kind(@Nullable String kind) {
		try {
			return DeviceKind.valueOf(String.valueOf(kind).strip().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw invalid("kind must be PHONE, TABLET, DESKTOP or WEB");
		}
	}

	private DeviceState state(String state) {
		try {
			return DeviceState.valueOf(state.strip().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw invalid("state must be ACTIVE, SUSPENDED or REVOKED");
		}
	}

	private ErrorResponseException invalid(String detail) {
		return this.refusals.refuse(HttpStatus.BAD_REQUEST, "invalid-device", "Invalid device", detail);
	}

	/**
	 * A device to register.
	 *
	 * @param name its name, unique in the tenant
	 * @param kind {@code PHONE}, {@code TABLET}, {@code DESKTOP} or {@code WEB}
	 * @param agentId the agent using it
	 */
	record Registration(@Nullable String name, @Nullable String kind, @Nullable String agentId) {

	}

	/**
	 * A new name.
	 *
	 * @param name the name, unique in the tenant
	 */
	record Rename(@Nullable String name) {

	}

	/**
	 * A device as the API shows it.
	 *
	 * @param id the device id, which every outbound message names
	 * @param agentId the agent using it
	 * @param name its name
	 * @param kind what it is
	 * @param state {@code ACTIVE}, {@code SUSPENDED} (over the plan after a downgrade) or
	 * {@code REVOKED}
	 * @param version increases with every change
	 * @param registeredAt when it was registered
	 * @param changedAt when it last changed
	 */
	record DeviceView(String id, String agentId, String name, String kind, String state, long version,
			Instant registeredAt, Instant changedAt) {

		static DeviceView of(Device device) {
			return new DeviceView(device.id().toString(), device.agentId(), device.name(), device.kind().name(),
					device.state().name(), device.version(), device.registeredAt(), device.changedAt());
		}

	}

	/**
	 * The limits of the tenant's plan and what counts against them.
	 *
	 * @param plan {@code STANDARD} or {@code PREMIUM} (STANDARD until billing announces a
	 * plan)
	 * @param maxDevices devices the plan links
	 * @param maxPhones phones among them
	 * @param devices devices not revoked (suspended ones count)
	 * @param phones phones not revoked
	 */
	record LimitsView(String plan, int maxDevices, int maxPhones, long devices, long phones) {

		static LimitsView of(DeviceRegistry.Usage usage) {
			return new LimitsView(usage.limits().plan(), usage.limits().maxDevices(), usage.limits().maxPhones(),
					usage.devices(), usage.phones());
		}

	}

}

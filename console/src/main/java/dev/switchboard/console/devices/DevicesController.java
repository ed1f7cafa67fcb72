package dev.switchboard.console.devices;

import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import reactor.core.publisher.Mono;

/**
 * The devices page of owners and admins: the plan's limits, the devices, and forms to
 * register, rename and revoke. Each form answers with a redirect to the page (htmx swaps
 * the list in place); a refusal (plan limit, name taken) is shown inline in the API's
 * words. The API decides who may do what.
 */
@Controller
class DevicesController {

	static final List<String> KINDS = List.of("PHONE", "TABLET", "DESKTOP", "WEB");

	private final Devices devices;

	DevicesController(Devices devices) {
		this.devices = devices;
	}

	@GetMapping("/console/devices")
	Mono<String> page(@RequestParam(required = false) @Nullable String cursor, Model model) {
		return Mono.zip(this.devices.list(cursor), this.devices.limits(), this.devices.agents()).map((all) -> {
			model.addAttribute("devices", all.getT1().items());
			model.addAttribute("next", all.getT1().nextCursor());
			model.addAttribute("paged", cursor != null);
			model.addAttribute("limits", all.getT2());
			model.addAttribute("agents", all.getT3());
			model.addAttribute("kinds", KINDS);
			return "devices/devices";
		});
	}

	@PostMapping("/console/devices")
	Mono<String> register(@ModelAttribute Registration registration) {
		return this.devices.register(text(registration.name()), text(registration.kind()), text(registration.agentId()))
			.thenReturn("redirect:/console/devices");
	}

	@PostMapping("/console/devices/{id}/name")
	Mono<String> rename(@PathVariable String id, @ModelAttribute Rename rename) {
		return this.devices.rename(id, text(rename.name())).thenReturn("redirect:/console/devices");
	}

	@PostMapping("/console/devices/{id}/revoke")
	Mono<String> revoke(@PathVariable String id) {
		return this.devices.revoke(id).thenReturn("redirect:/console/devices");
	}

	// The API checks the fields and answers a problem the page shows.
	private static String text(@Nullable String value) {
		return (value != null) ? value : "";
	}

	/**
	 * The register form.
	 *
	 * @param name the device's name
	 * @param kind its kind
	 * @param agentId who uses it
	 */
	record Registration(@Nullable String name, @Nullable String kind, @Nullable String agentId) {

	}

	/**
	 * The rename form.
	 *
	 * @param name the new name
	 */
	record Rename(@Nullable String name) {

	}

}

package dev.switchboard.console.profile;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import reactor.core.publisher.Mono;

import dev.switchboard.console.api.ApiClient;

/**
 * The business profile customers see on WhatsApp, and Meta's verification level of the
 * business. Owners and admins edit the texts; the verification level and the opening
 * hours are kept as they are.
 */
@Controller
class ProfileController {

	private static final ParameterizedTypeReference<Profile> PROFILE = new ParameterizedTypeReference<>() {
	};

	private final ApiClient api;

	ProfileController(ApiClient api) {
		this.api = api;
	}

	@GetMapping("/console/profile")
	Mono<String> page(Model model) {
		return read().map((profile) -> {
			model.addAttribute("profile", profile);
			return "profile/profile";
		});
	}

	@PostMapping("/console/profile")
	Mono<String> save(@ModelAttribute Edit edit) {
		return read().flatMap((current) -> {
			Map<String, @Nullable Object> body = new HashMap<>();
			body.put("about", blankToNull(edit.about()));
			body.put("email", blankToNull(edit.email()));
			body.put("website", blankToNull(edit.website()));
			body.put("address", blankToNull(edit.address()));
			body.put("openingHours", current.openingHours());
			body.put("verificationLevel", current.verificationLevel());
			return this.api.call(HttpMethod.PUT, (uri) -> uri.path("/api/v1/business-profile").build(), body, PROFILE);
		}).thenReturn("redirect:/console/profile");
	}

	private Mono<Profile> read() {
		return this.api.get((uri) -> uri.path("/api/v1/business-profile").build(), PROFILE);
	}

	private static @Nullable String blankToNull(@Nullable String value) {
		return (value == null || value.isBlank()) ? null : value.strip();
	}

	/**
	 * The business profile.
	 *
	 * @param about the description
	 * @param email the email
	 * @param website the website
	 * @param address the address
	 * @param openingHours opening hours per day
	 * @param verificationLevel UNVERIFIED, CONFIRMED or VERIFIED
	 * @param updatedAt when it was last saved
	 */
	record Profile(@Nullable String about, @Nullable String email, @Nullable String website, @Nullable String address,
			List<Map<String, String>> openingHours, String verificationLevel, @Nullable Instant updatedAt) {

	}

	/**
	 * The form.
	 *
	 * @param about the description
	 * @param email the email
	 * @param website the website
	 * @param address the address
	 */
	record Edit(@Nullable String about, @Nullable String email, @Nullable String website, @Nullable String address) {

	}

}

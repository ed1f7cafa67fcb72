package dev.switchboard.inbox.profile;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;

import io.r2dbc.postgresql.codec.Json;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.switchboard.events.Role;
import dev.switchboard.support.web.Caller;

/**
 * The business profile: about, email, website, address, opening hours and Meta's
 * verification level. Every member reads it; OWNER and ADMIN edit it.
 */
@RestController
class BusinessProfileController {

	private final DatabaseClient database;

	private final JsonMapper json;

	private final Clock clock;

	BusinessProfileController(DatabaseClient database, JsonMapper json, Clock clock) {
		this.database = database;
		this.json = json;
		this.clock = clock;
	}

	@Operation(operationId = "getBusinessProfile", summary = "Get the WhatsApp business profile")
	@GetMapping("/api/v1/business-profile")
	Mono<Profile> get(Caller caller) {
		caller.requireAny(Role.OWNER, Role.ADMIN, Role.AGENT);
		return this.database.sql("""
				SELECT about, email, website, address, opening_hours::text AS hours, verification_level, updated_at
				FROM business_profile WHERE tenant_id = :tenant""")
			.bind("tenant", caller.tenantId())
			.map((row) -> new Profile(row.get("about", String.class), row.get("email", String.class),
					row.get("website", String.class), row.get("address", String.class),
					this.json.readValue(Objects.requireNonNull(row.get("hours", String.class)),
							new TypeReference<List<OpeningHours>>() {
							}),
					Objects.requireNonNull(row.get("verification_level", String.class)),
					Objects.requireNonNull(row.get("updated_at", OffsetDateTime.class)).toInstant()))
			.one()
			.defaultIfEmpty(new Profile(null, null, null, null, List.of(), "UNVERIFIED", null));
	}

	@Operation(operationId = "updateBusinessProfile", summary = "Update the WhatsApp business profile")
	@PutMapping("/api/v1/business-profile")
	Mono<Profile> update(Caller caller, @Valid @RequestBody ProfileRequest request) {
		caller.requireAny(Role.OWNER, Role.ADMIN);
		return this.database.sql("""
				INSERT INTO business_profile (tenant_id, about, email, website, address, opening_hours,
				                              verification_level, updated_at)
				VALUES (:tenant, :about, :email, :website, :address, :hours, :level, :now)
				ON CONFLICT (tenant_id) DO UPDATE SET about = EXCLUDED.about, email = EXCLUDED.email,
				    website = EXCLUDED.website, address = EXCLUDED.address, opening_hours = EXCLUDED.opening_hours,
				    verification_level = EXCLUDED.verification_level, updated_at = EXCLUDED.updated_at""")
			.bind("tenant", caller.tenantId())
			.bind("about", Parameter.fromOrEmpty(request.about(), String.class))
			.bind("email", Parameter.fromOrEmpty(request.email(), String.class))
			.bind("website", Parameter.fromOrEmpty(request.website(), String.class))
			.bind("address", Parameter.fromOrEmpty(request.address(), String.class))
			.bind("hours", Json.of(this.json.writeValueAsString(request.openingHours())))
			.bind("level", request.verificationLevel())
			.bind("now", OffsetDateTime.ofInstant(this.clock.instant(), ZoneOffset.UTC))
			.then()
			.then(get(caller));
	}

	/**
	 * The profile to save.
	 *
	 * @param about a short description (WhatsApp allows 139 characters)
	 * @param email a contact email
	 * @param website the website ({@code https://...})
	 * @param address the address
	 * @param openingHours opening hours per day
	 * @param verificationLevel {@code UNVERIFIED}, {@code CONFIRMED} or {@code VERIFIED}
	 */
	record ProfileRequest(@Nullable @Size(max = 139) String about, @Nullable @Email @Size(max = 128) String email,
			@Nullable @Pattern(regexp = "https?://\\S{3,250}") String website,
			@Nullable @Size(max = 256) String address, @NotNull @Size(max = 7) List<@Valid OpeningHours> openingHours,
			@NotNull @Pattern(regexp = "UNVERIFIED|CONFIRMED|VERIFIED") String verificationLevel) {

	}

	/**
	 * Opening hours of a day.
	 *
	 * @param day {@code MONDAY} ... {@code SUNDAY}
	 * @param opens {@code HH:mm}
	 * @param closes {@code HH:mm}
	 */
	record OpeningHours(
			@NotNull @Pattern(regexp = "MONDAY|TUESDAY|WEDNESDAY|THURSDAY|FRIDAY|SATURDAY|SUNDAY") String day,
			@NotNull @Pattern(regexp = "([01][0-9]|2[0-3]):[0-5][0-9]") String opens,
			@NotNull @Pattern(regexp = "([01][0-9]|2[0-3]):[0-5][0-9]") String closes) {

	}

	/**
	 * The business profile.
	 *
	 * @param about the description
	 * @param email the email
	 * @param website the website
	 * @param address the address
	 * @param openingHours opening hours
	 * @param verificationLevel Meta's verification level
	 * @param updatedAt when it was last saved; null if never
	 */
	record Profile(@Nullable String about, @Nullable String email, @Nullable String website, @Nullable String address,
			List<OpeningHours> openingHours, String verificationLevel, @Nullable Instant updatedAt) {

	}

}

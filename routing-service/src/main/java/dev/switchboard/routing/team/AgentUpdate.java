package dev.switchboard.routing.team;

import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * An agent's profile, set by an OWNER or ADMIN.
 *
 * @param displayName the name colleagues see
 * @param capacity the most open conversations the agent takes at once
 * @param skills labels or languages the agent covers
 */
public record AgentUpdate(@NotBlank @Size(max = 100) String displayName, @Min(0) @Max(1000) int capacity,
		@NotNull @Size(max = 50) List<@NotBlank @Size(max = 50) String> skills) {

}

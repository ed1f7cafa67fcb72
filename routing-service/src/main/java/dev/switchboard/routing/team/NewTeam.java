package dev.switchboard.routing.team;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * A team to create.
 *
 * @param teamId a short id ({@code support}, {@code sales-it})
 * @param name its name
 * @param strategy how it assigns conversations
 * @param isDefault whether conversations no rule matches go to it (replaces the current
 * default)
 */
public record NewTeam(@NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,49}") String teamId,
		@NotBlank @Size(max = 100) String name, @NotNull Strategy strategy, boolean isDefault) {

}

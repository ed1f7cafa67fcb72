package dev.switchboard.routing.team;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * A routing rule to add.
 *
 * @param priority lower is tried first
 * @param kind what it matches
 * @param match the customer's WhatsApp id, or a keyword of the first message
 * @param teamId where matching conversations go
 */
public record NewRule(@Min(0) int priority, @NotNull Teams.RuleKind kind, @NotBlank @Size(max = 200) String match,
		@NotBlank String teamId) {

}

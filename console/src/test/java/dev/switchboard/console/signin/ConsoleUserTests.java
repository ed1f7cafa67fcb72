package dev.switchboard.console.signin;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.switchboard.events.Role;

import static org.assertj.core.api.Assertions.assertThat;

class ConsoleUserTests {

	@Test
	void whenRolesComeAsAListOrNestedThenTheKnownOnesAreRead() {
		assertThat(ConsoleUser.roles(List.of("AGENT", "offline_access", "owner"))).containsExactlyInAnyOrder(Role.AGENT,
				Role.OWNER);
		Object nested = ConsoleUser.claim(Map.of("realm_access", Map.of("roles", List.of("FINANCE"))),
				"realm_access.roles");
		assertThat(ConsoleUser.roles(nested)).containsExactly(Role.FINANCE);
		assertThat(ConsoleUser.roles(null)).isEmpty();
	}

}

package dev.switchboard.console.navigation;

import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.switchboard.console.signin.ConsoleUser;
import dev.switchboard.events.Role;

import static org.assertj.core.api.Assertions.assertThat;

class AreasTests {

	@Test
	void whenARoleSignsInThenTheNavigationShowsOnlyTheAreasItsApiCallsAllow() {
		assertThat(areas(Role.OWNER)).isEqualTo(new Areas(true, true, false));
		assertThat(areas(Role.ADMIN)).isEqualTo(new Areas(true, false, false));
		assertThat(areas(Role.FINANCE)).isEqualTo(new Areas(false, true, false));
		assertThat(areas(Role.AGENT)).isEqualTo(new Areas(false, false, false));
		assertThat(areas(Role.SRE)).isEqualTo(new Areas(false, false, true));
		assertThat(areas()).isEqualTo(new Areas(false, false, false));
	}

	private static Areas areas(Role... roles) {
		Set<Role> held = EnumSet.noneOf(Role.class);
		held.addAll(java.util.List.of(roles));
		return Areas.of(new ConsoleUser("u", "u", "demo", held));
	}

}

package dev.switchboard.events;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TimeOrderedIdsTests {

	@Test
	void whenAnIdIsMadeThenItIsAVersion7UuidOfTheRfcVariantCarryingTheMillisecond() {
		Instant at = Instant.parse("2026-12-03T17:10:00.123Z");

		UUID id = TimeOrderedIds.next(Clock.fixed(at, ZoneOffset.UTC));

		assertThat(id.version()).isEqualTo(7);
		assertThat(id.variant()).isEqualTo(2);
		assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(at.toEpochMilli());
		assertThat(UUID.fromString(id.toString())).isEqualTo(id);
	}

	@Test
	void whenIdsAreMadeInLaterMillisecondsThenTheirTextSortsInTimeOrder() {
		String earlier = TimeOrderedIds.at(1_764_781_800_000L).toString();
		String later = TimeOrderedIds.at(1_764_781_800_001L).toString();
		String muchLater = TimeOrderedIds.at(1_864_781_800_000L).toString();

		assertThat(earlier).isLessThan(later);
		assertThat(later).isLessThan(muchLater);
	}

	@Test
	void whenManyIdsAreMadeInOneMillisecondThenNoneRepeats() {
		Set<UUID> ids = new HashSet<>();
		for (int i = 0; i < 100_000; i++) {
			ids.add(TimeOrderedIds.at(1_764_781_800_000L));
		}
		assertThat(ids).hasSize(100_000);
	}

}

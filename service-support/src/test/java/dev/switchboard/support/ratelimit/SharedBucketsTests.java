package dev.switchboard.support.ratelimit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SharedBucketsTests {

	@Test
	void whenARateIsWholeThenTheRowIdNamesItWithoutDecimals() {
		assertThat(SharedBuckets.rowId("send:106540352242922", new Rate(80, 80)))
			.isEqualTo("send:106540352242922@80/80");
	}

	@Test
	void whenOnlyTheRefillDiffersThenTheRowsDiffer() {
		assertThat(SharedBuckets.rowId("tenant:acme", new Rate(20, 0.5))).isEqualTo("tenant:acme@20/0.5")
			.isNotEqualTo(SharedBuckets.rowId("tenant:acme", new Rate(20, 20)));
	}

}

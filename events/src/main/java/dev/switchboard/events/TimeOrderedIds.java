package dev.switchboard.events;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;

/**
 * Identifiers in time order: UUID version 7 (RFC 9562), the Unix time in milliseconds in
 * the first 48 bits, then 74 random bits. Rows keyed by them (events' ids in the outbox,
 * in the consumers' {@code processed_event}, in the audit log; messages) go to the right
 * edge of their B-tree indexes instead of a random page each: an insert touches the pages
 * the previous ones did, rather than one page more of an index that no longer fits in
 * memory, each first touched after a checkpoint written to the WAL whole. As unique as
 * {@link UUID#randomUUID()} within a millisecond, from the same random source.
 */
public final class TimeOrderedIds {

	private static final SecureRandom random = new SecureRandom();

	private TimeOrderedIds() {
	}

	/**
	 * A new identifier for the clock's instant.
	 * @param clock the clock
	 * @return the identifier
	 */
	public static UUID next(Clock clock) {
		return at(clock.millis());
	}

	static UUID at(long epochMillis) {
		byte[] bytes = new byte[10];
		random.nextBytes(bytes);
		long randomA = ((bytes[0] & 0xFFL) << 8 | (bytes[1] & 0xFFL)) & 0x0FFFL;
		long randomB = 0;
		for (int i = 2; i < 10; i++) {
			randomB = (randomB << 8) | (bytes[i] & 0xFFL);
		}
		long most = (epochMillis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | randomA;
		long least = (randomB & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
		return new UUID(most, least);
	}

}

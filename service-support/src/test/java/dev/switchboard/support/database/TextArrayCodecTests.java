package dev.switchboard.support.database;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.r2dbc.postgresql.codec.DefaultCodecs;
import io.r2dbc.postgresql.codec.PostgresqlObjectId;
import io.r2dbc.postgresql.message.Format;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TextArrayCodec} writes PostgreSQL's binary array format ({@code array_send}) and
 * {@link TextArrays} puts it ahead of the driver's text-form codec.
 */
class TextArrayCodecTests {

	private final TextArrayCodec codec = new TextArrayCodec(ByteBufAllocator.DEFAULT);

	@Test
	void whenAnArrayHasANullAndNonAsciiElementsThenEachIsWrittenAsItsLengthAndUtf8Bytes() {
		ByteBuf written = this.codec.write(new String[] { "a\"{,}", null, "é" }, 25);
		try {
			ByteBuf expected = Unpooled.buffer()
				.writeInt(1) // dimensions
				.writeInt(1) // has nulls
				.writeInt(25) // text
				.writeInt(3) // size
				.writeInt(1) // lower bound
				.writeInt(5)
				.writeBytes("a\"{,}".getBytes(StandardCharsets.US_ASCII))
				.writeInt(-1)
				.writeInt(2)
				.writeBytes(new byte[] { (byte) 0xC3, (byte) 0xA9 });
			assertThat(ByteBufUtil.getBytes(written)).isEqualTo(ByteBufUtil.getBytes(expected));
		}
		finally {
			written.release();
		}
	}

	@Test
	void whenAnArrayIsEmptyThenItHasNoDimensions() {
		ByteBuf written = this.codec.write(new String[0], 25);
		try {
			assertThat(ByteBufUtil.getBytes(written))
				.isEqualTo(ByteBufUtil.getBytes(Unpooled.buffer().writeInt(0).writeInt(0).writeInt(25)));
		}
		finally {
			written.release();
		}
	}

	@Test
	void whenTheBinaryFormIsReadBackThenItIsTheArrayThatWasWritten() {
		String[] values = { "", "NULL", null, "back\\slash", "emoji \uD83D\uDE00", "{\"json\": [1, 2]}" };
		ByteBuf written = this.codec.write(values, 25);
		try {
			assertThat(this.codec.canDecode(PostgresqlObjectId.TEXT_ARRAY.getObjectId(), Format.FORMAT_BINARY,
					String[].class))
				.isTrue();
			assertThat(this.codec.decode(written, PostgresqlObjectId.TEXT_ARRAY.getObjectId(), Format.FORMAT_BINARY,
					String[].class))
				.containsExactly(values);
		}
		finally {
			written.release();
		}
	}

	@Test
	void whenRegisteredThenTheDriverEncodesStringArraysInBinaryAndOtherValuesAsBefore() {
		DefaultCodecs codecs = new DefaultCodecs(ByteBufAllocator.DEFAULT);
		Mono.from(new TextArrays().register(null, ByteBufAllocator.DEFAULT, codecs)).block();

		assertThat(codecs.encode(new String[] { "a" }).toString())
			.startsWith("Parameter{format=FORMAT_BINARY, type=1009,");
		assertThat(codecs.encode(new Long[] { 1L }).toString()).doesNotContain("type=1009");
		assertThat(new DefaultCodecs(ByteBufAllocator.DEFAULT).encode(new String[] { "a" }).toString())
			.startsWith("Parameter{format=FORMAT_TEXT,");
	}

}

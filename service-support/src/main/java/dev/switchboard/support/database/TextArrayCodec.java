package dev.switchboard.support.database;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.r2dbc.postgresql.client.EncodedParameter;
import io.r2dbc.postgresql.codec.Codec;
import io.r2dbc.postgresql.codec.CodecMetadata;
import io.r2dbc.postgresql.codec.PostgresTypeIdentifier;
import io.r2dbc.postgresql.codec.PostgresqlObjectId;
import io.r2dbc.postgresql.message.Format;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Sends a {@code String[]} parameter as a one-dimensional {@code text[]} in PostgreSQL's
 * binary array format: a header, then each element's length and UTF-8 bytes, no escaping.
 * The driver's own codec writes the text form ({@code {"a","b\"c"}}), one character at a
 * time through a {@link StringBuilder}, which was 10–15 % of every service's CPU: the
 * batch statements bind whole columns, JSON payloads among them, as arrays. Reads the
 * binary form back (the driver asks for text results, so it rarely does).
 */
final class TextArrayCodec implements Codec<String[]>, CodecMetadata {

	private static final int TEXT_ARRAY = PostgresqlObjectId.TEXT_ARRAY.getObjectId();

	private static final int TEXT = PostgresqlObjectId.TEXT.getObjectId();

	private static final int VARCHAR_ARRAY = PostgresqlObjectId.VARCHAR_ARRAY.getObjectId();

	private static final int VARCHAR = PostgresqlObjectId.VARCHAR.getObjectId();

	/**
	 * Dimensions, flags, element type; then size and lower bound of the one dimension.
	 */
	private static final int HEADER = 5 * Integer.BYTES;

	private final ByteBufAllocator allocator;

	TextArrayCodec(ByteBufAllocator allocator) {
		this.allocator = allocator;
	}

	@Override
	public boolean canEncode(Object value) {
		return value instanceof String[];
	}

	@Override
	public boolean canEncodeNull(Class<?> type) {
		return type == String[].class;
	}

	@Override
	public EncodedParameter encode(Object value) {
		return encode(value, TEXT_ARRAY);
	}

	@Override
	public EncodedParameter encode(Object value, int dataType) {
		String[] values = (String[]) value;
		int arrayType = (dataType == VARCHAR_ARRAY) ? VARCHAR_ARRAY : TEXT_ARRAY;
		int elementType = (arrayType == VARCHAR_ARRAY) ? VARCHAR : TEXT;
		return new EncodedParameter(Format.FORMAT_BINARY, arrayType,
				Mono.fromSupplier(() -> write(values, elementType)));
	}

	@Override
	public EncodedParameter encodeNull() {
		return new EncodedParameter(Format.FORMAT_BINARY, TEXT_ARRAY, EncodedParameter.NULL_VALUE);
	}

	ByteBuf write(String[] values, int elementType) {
		byte[][] elements = new byte[values.length][];
		int size = HEADER;
		boolean nulls = false;
		for (int i = 0; i < values.length; i++) {
			String value = values[i];
			if (value == null) {
				nulls = true;
			}
			else {
				elements[i] = value.getBytes(StandardCharsets.UTF_8);
				size += elements[i].length;
			}
			size += Integer.BYTES;
		}
		ByteBuf buffer = this.allocator.buffer(size);
		if (values.length == 0) {
			// An empty array has no dimensions.
			return buffer.writeInt(0).writeInt(0).writeInt(elementType);
		}
		buffer.writeInt(1).writeInt(nulls ? 1 : 0).writeInt(elementType).writeInt(values.length).writeInt(1);
		for (byte[] element : elements) {
			if (element == null) {
				buffer.writeInt(-1);
			}
			else {
				buffer.writeInt(element.length).writeBytes(element);
			}
		}
		return buffer;
	}

	@Override
	public boolean canDecode(int dataType, Format format, Class<?> type) {
		return format == Format.FORMAT_BINARY && (dataType == TEXT_ARRAY || dataType == VARCHAR_ARRAY)
				&& type.isAssignableFrom(String[].class);
	}

	@Override
	public String @Nullable [] decode(@Nullable ByteBuf buffer, int dataType, Format format,
			Class<? extends String[]> type) {
		if (buffer == null) {
			return null;
		}
		int dimensions = buffer.readInt();
		buffer.skipBytes(2 * Integer.BYTES); // flags, element type
		if (dimensions == 0) {
			return new String[0];
		}
		if (dimensions != 1) {
			throw new IllegalArgumentException(
					"Only one-dimensional text arrays are read as String[], not " + dimensions + "-dimensional ones");
		}
		String[] values = new String[buffer.readInt()];
		buffer.skipBytes(Integer.BYTES); // lower bound
		for (int i = 0; i < values.length; i++) {
			int length = buffer.readInt();
			values[i] = (length < 0) ? null : buffer.readCharSequence(length, StandardCharsets.UTF_8).toString();
		}
		return values;
	}

	@Override
	public Class<?> type() {
		return String[].class;
	}

	@Override
	public Iterable<Format> getFormats() {
		return List.of(Format.FORMAT_BINARY);
	}

	@Override
	public Iterable<? extends PostgresTypeIdentifier> getDataTypes() {
		return List.of(PostgresqlObjectId.TEXT_ARRAY, PostgresqlObjectId.VARCHAR_ARRAY);
	}

}

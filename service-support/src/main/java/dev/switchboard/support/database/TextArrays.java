package dev.switchboard.support.database;

import io.netty.buffer.ByteBufAllocator;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.postgresql.codec.CodecRegistry;
import io.r2dbc.postgresql.extension.CodecRegistrar;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * Registers {@link TextArrayCodec} ahead of the driver's own codecs, so every
 * {@code String[]} parameter (the columns of the services' batch statements, bound as
 * {@code CAST(:column AS text[])}) goes to PostgreSQL in the binary array format.
 * {@code ServiceSupportAutoConfiguration} adds it to every service's connection factory.
 */
public final class TextArrays implements CodecRegistrar {

	@Override
	public Publisher<Void> register(PostgresqlConnection connection, ByteBufAllocator allocator,
			CodecRegistry registry) {
		registry.addFirst(new TextArrayCodec(allocator));
		return Mono.empty();
	}

}

package dev.switchboard.support.database;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.r2dbc.spi.ConnectionFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.core.DatabaseClient;

import dev.switchboard.testsupport.Database;
import dev.switchboard.testsupport.RealInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code String[]} parameters in the binary format ({@link TextArrays}) against the real
 * PostgreSQL: what the batch statements bind arrives as the same text as with the
 * driver's own text form, characters the text form has to escape, empty strings, nulls
 * and non-ASCII included, and casts to other element types still apply.
 */
class TextArraysIT {

	private static final String[] TRICKY = { "plain", "", "NULL", null, "with \"quotes\"", "back\\slash",
			"{braces, commas}", "  spaces  ", "line\nbreak", "é ü ß 日本 \uD83D\uDE00",
			"{\"type\":\"text\",\"text\":{\"body\":\"hi, \\\"you\\\"\"}}" };

	private static DatabaseClient binary;

	private static DatabaseClient text;

	@BeforeAll
	static void connect() {
		Database db = RealInfrastructure.get().database();
		binary = DatabaseClient.create(connections(db, true));
		text = DatabaseClient.create(connections(db, false));
	}

	@Test
	void whenAnArrayHoldsWhatTheTextFormEscapesThenEachElementArrivesUnchangedInOrder() {
		assertThat(elements(binary, TRICKY)).containsExactly(TRICKY);
		assertThat(elements(binary, TRICKY)).isEqualTo(elements(text, TRICKY));
	}

	@Test
	void whenAnArrayIsEmptyThenItHasNoElements() {
		assertThat(binary.sql("SELECT cardinality(CAST(:values AS text[])) AS n")
			.bind("values", new String[0])
			.map((row) -> row.get("n", Integer.class))
			.one()
			.block()).isZero();
	}

	@Test
	void whenAnArrayIsCastToUuidsThenTheyMatchAsBefore() {
		UUID first = UUID.randomUUID();
		UUID second = UUID.randomUUID();
		List<UUID> matched = binary
			.sql("SELECT v FROM unnest(CAST(:ids AS uuid[])) AS v WHERE v = ANY (CAST(:wanted AS uuid[])) ORDER BY v")
			.bind("ids", new String[] { first.toString(), second.toString() })
			.bind("wanted", new String[] { second.toString() })
			.map((row) -> Objects.requireNonNull(row.get("v", UUID.class)))
			.all()
			.collectList()
			.block();
		assertThat(matched).containsExactly(second);
	}

	@Test
	void whenAColumnOfTenThousandJsonPayloadsIsBoundThenPostgresqlReadsEveryOne() {
		String[] payloads = new String[10_000];
		for (int i = 0; i < payloads.length; i++) {
			payloads[i] = "{\"n\":" + i + ",\"body\":\"message \\\"" + i + "\\\"\"}";
		}
		assertThat(binary
			.sql("SELECT count(*) AS n, sum(CAST(CAST(p AS jsonb) ->> 'n' AS int)) AS total"
					+ " FROM unnest(CAST(:payloads AS text[])) AS p")
			.bind("payloads", payloads)
			.map((row) -> row.get("n", Long.class) + "/" + row.get("total", Long.class))
			.one()
			.block()).isEqualTo("10000/49995000");
	}

	private static List<String> elements(DatabaseClient database, String[] values) {
		return database.sql("SELECT v FROM unnest(CAST(:values AS text[])) WITH ORDINALITY AS t(v, n) ORDER BY n")
			.bind("values", values)
			.map((row) -> Optional.ofNullable(row.get("v", String.class)))
			.all()
			.collectList()
			.map((found) -> found.stream().map((value) -> value.orElse(null)).toList())
			.block();
	}

	private static ConnectionFactory connections(Database db, boolean binaryArrays) {
		PostgresqlConnectionConfiguration.Builder builder = PostgresqlConnectionConfiguration.builder()
			.host(db.host())
			.port(db.port())
			.database(db.name())
			.username(db.username())
			.password(db.password())
			.connectTimeout(Duration.ofSeconds(2));
		if (binaryArrays) {
			builder.extendWith(new TextArrays());
		}
		return new PostgresqlConnectionFactory(builder.build());
	}

}

package dev.switchboard.support.secrets;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SealCliTests {

	private static final SecretContext CONTEXT = new SecretContext("audit.signing-key", "", "tree-heads");

	@Test
	void whenASecretIsSealedAndLaterRewrappedThenEachMasterKeyReadsIt() {
		String k1 = MasterKey.generate();
		String k2 = MasterKey.generate();

		String sealed = run(Map.of("SWITCHBOARD_MASTER_KEY", k1), "MC4CAQAwBQYDK2VwBCIEI\n", "audit.signing-key", "",
				"tree-heads");
		assertThat(open(k1, sealed)).isEqualTo("MC4CAQAwBQYDK2VwBCIEI");

		String rewrapped = run(Map.of("SWITCHBOARD_MASTER_KEY", k2, "SWITCHBOARD_MASTER_KEY_PREVIOUS", k1), sealed,
				"--rewrap", "audit.signing-key", "", "tree-heads");
		assertThat(open(k2, rewrapped)).isEqualTo("MC4CAQAwBQYDK2VwBCIEI");
	}

	@Test
	void whenNoMasterKeyIsSetThenItExplainsItsUsage() {
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int status = SealCli.run(new String[] { "a", "b", "c" }, "x", Map.of(),
				new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));

		assertThat(status).isEqualTo(2);
		assertThat(err.toString(StandardCharsets.UTF_8)).contains("SWITCHBOARD_MASTER_KEY");
	}

	private static String run(Map<String, String> env, String input, String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		int status = SealCli.run(args, input, env, new PrintStream(out), System.err);
		assertThat(status).isZero();
		return out.toString(StandardCharsets.UTF_8).strip();
	}

	private static String open(String masterKey, String sealed) {
		assertThat(sealed).startsWith("sealed:");
		return new Secrets(MasterKey.of(masterKey, List.of()), new SimpleMeterRegistry())
			.openString(Base64.getDecoder().decode(sealed.substring("sealed:".length())), CONTEXT);
	}

}

package dev.switchboard.support.secrets;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Seals a secret for configuration, e.g. the audit signing key: reads the secret from
 * standard input, seals it under {@code SWITCHBOARD_MASTER_KEY} for the context given as
 * arguments ({@code purpose tenant id}) and prints {@code sealed:} and the envelope in
 * base64. With {@code --rewrap} it reads such a {@code sealed:} value instead and prints
 * it wrapped under the current master key (the earlier one given in
 * {@code SWITCHBOARD_MASTER_KEY_PREVIOUS}). Exit status 0, or 2 with a message.
 */
public final class SealCli {

	private SealCli() {
	}

	public static void main(String[] args) throws IOException {
		System.exit(run(args, new String(System.in.readAllBytes(), StandardCharsets.UTF_8), System.getenv(), System.out,
				System.err));
	}

	static int run(String[] args, String input, Map<String, String> env, PrintStream out, PrintStream err) {
		boolean rewrap = args.length > 0 && args[0].equals("--rewrap");
		String[] context = rewrap ? Arrays.copyOfRange(args, 1, args.length) : args;
		String masterKey = env.get("SWITCHBOARD_MASTER_KEY");
		if (context.length != 3 || masterKey == null || masterKey.isBlank()) {
			err.println("usage: [SWITCHBOARD_MASTER_KEY=... SWITCHBOARD_MASTER_KEY_PREVIOUS=...] SealCli [--rewrap] "
					+ "<purpose> <tenant> <id> < secret");
			err.println("  the audit signing key: SealCli audit.signing-key \"\" tree-heads");
			return 2;
		}
		try {
			Secrets secrets = new Secrets(
					MasterKey.of(masterKey,
							List.of(env.getOrDefault("SWITCHBOARD_MASTER_KEY_PREVIOUS", "").split(","))),
					new SimpleMeterRegistry());
			SecretContext secretContext = new SecretContext(context[0], context[1], context[2]);
			byte[] sealed;
			if (rewrap) {
				String value = input.strip();
				if (!value.startsWith("sealed:")) {
					err.println("--rewrap reads a sealed: value");
					return 2;
				}
				byte[] old = Base64.getDecoder().decode(value.substring("sealed:".length()));
				byte[] moved = secrets.rewrap(old, secretContext);
				sealed = (moved != null) ? moved : old;
			}
			else {
				sealed = secrets.seal(input.strip(), secretContext);
			}
			out.println("sealed:" + Base64.getEncoder().encodeToString(sealed));
			return 0;
		}
		catch (RuntimeException ex) {
			err.println(ex.getMessage());
			return 2;
		}
	}

}

package dev.switchboard.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One platform with no settings of its own, shared by the test classes that register this
 * extension: started when the first of them asks for it, stopped when the test run of
 * this JVM ends (JUnit closes what its root store holds). Starting a platform takes one
 * and a half minutes on a two-core machine; the classes that share it leave nothing
 * behind that another relies on.
 */
final class SharedGateway implements BeforeAllCallback {

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedGateway.class);

	private @Nullable ExtensionContext root;

	@Override
	public void beforeAll(ExtensionContext context) {
		this.root = context.getRoot();
	}

	/**
	 * @return the shared platform, started now if no class has asked for it before
	 */
	Gateway get() {
		if (this.root == null) {
			throw new IllegalStateException("SharedGateway is asked for before its class's tests start");
		}
		return this.root.getStore(NAMESPACE).computeIfAbsent(Gateway.class, (key) -> {
			try {
				return Gateway.start(Path.of("target/shared-platform-logs").toAbsolutePath(), Map.of());
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}, Gateway.class);
	}

}
